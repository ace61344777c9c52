/** A small Prometheus text registry: counters and gauges with labels, enough for /metrics. */
export interface Metrics {
  inc(name: string, labels?: Record<string, string>, by?: number): void;
  set(name: string, value: number, labels?: Record<string, string>): void;
  render(): string;
}

export function createMetrics(prefix: string): Metrics {
  const counters = new Map<string, Map<string, number>>();
  const gauges = new Map<string, Map<string, number>>();
  const labelText = (labels: Record<string, string> = {}) => {
    const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`);
    return parts.length ? `{${parts.join(',')}}` : '';
  };
  const series = (store: Map<string, Map<string, number>>, name: string) => {
    let byLabels = store.get(name);
    if (!byLabels) store.set(name, (byLabels = new Map<string, number>()));
    return byLabels;
  };
  return {
    inc(name, labels, by = 1) {
      const s = series(counters, `${prefix}_${name}`);
      const key = labelText(labels);
      s.set(key, (s.get(key) ?? 0) + by);
    },
    set(name, value, labels) {
      series(gauges, `${prefix}_${name}`).set(labelText(labels), value);
    },
    render() {
      const lines: string[] = [];
      const write = (type: string, store: Map<string, Map<string, number>>) => {
        for (const [name, byLabels] of store) {
          lines.push(`# TYPE ${name} ${type}`);
          for (const [labels, value] of byLabels) lines.push(`${name}${labels} ${value}`);
        }
      };
      write('counter', counters);
      write('gauge', gauges);
      return `${lines.join('\n')}\n`;
    },
  };
}

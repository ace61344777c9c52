/** Writes series that are read at render time, rather than kept. */
export interface MetricsWriter {
  counter(name: string, value: number, labels?: Record<string, string>): void;
  gauge(name: string, value: number, labels?: Record<string, string>): void;
}

/** A small Prometheus text registry: counters and gauges with labels, enough for /metrics. */
export interface Metrics {
  inc(name: string, labels?: Record<string, string>, by?: number): void;
  set(name: string, value: number, labels?: Record<string, string>): void;
  /**
   * Runs `collect` at each render: series it writes exist only while it writes them (a tenant
   * this process stopped tending drops out, rather than showing its last figures forever).
   */
  collect(collect: (out: MetricsWriter) => void): void;
  render(): string;
}

type Store = Map<string, Map<string, number>>;

const labelText = (labels: Record<string, string> = {}) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

const series = (store: Store, name: string) => {
  let byLabels = store.get(name);
  if (!byLabels) store.set(name, (byLabels = new Map<string, number>()));
  return byLabels;
};

export function createMetrics(prefix: string): Metrics {
  const counters: Store = new Map();
  const gauges: Store = new Map();
  const collectors: ((out: MetricsWriter) => void)[] = [];
  return {
    inc(name, labels, by = 1) {
      const s = series(counters, `${prefix}_${name}`);
      const key = labelText(labels);
      s.set(key, (s.get(key) ?? 0) + by);
    },
    set(name, value, labels) {
      series(gauges, `${prefix}_${name}`).set(labelText(labels), value);
    },
    collect(collect) {
      collectors.push(collect);
    },
    render() {
      const collected = { counter: new Map() as Store, gauge: new Map() as Store };
      const writeTo = (store: Store) => (name: string, value: number, labels?: Record<string, string>) =>
        void series(store, `${prefix}_${name}`).set(labelText(labels), value);
      const out: MetricsWriter = { counter: writeTo(collected.counter), gauge: writeTo(collected.gauge) };
      for (const collect of collectors) collect(out);
      const lines: string[] = [];
      const write = (type: string, store: Store) => {
        for (const [name, byLabels] of store) {
          lines.push(`# TYPE ${name} ${type}`);
          for (const [labels, value] of byLabels) lines.push(`${name}${labels} ${value}`);
        }
      };
      write('counter', counters);
      write('counter', collected.counter);
      write('gauge', gauges);
      write('gauge', collected.gauge);
      return `${lines.join('\n')}\n`;
    },
  };
}

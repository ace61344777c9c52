import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics';

describe('metrics', () => {
  it('renders kept counters and gauges with their labels', () => {
    const metrics = createMetrics('t');
    metrics.inc('calls_total', { route: 'a' });
    metrics.inc('calls_total', { route: 'a' }, 2);
    metrics.set('lag', 5);
    expect(metrics.render()).toBe(
      '# TYPE t_calls_total counter\nt_calls_total{route="a"} 3\n# TYPE t_lag gauge\nt_lag 5\n',
    );
  });

  it('writes collected series afresh at each render, so one no longer written drops out', () => {
    const metrics = createMetrics('t');
    let tenants = ['a', 'b'];
    metrics.collect((out) => {
      for (const tenant of tenants) {
        out.counter('requests_total', 7, { tenant });
        out.gauge('bucket_level', 1, { tenant });
      }
    });
    expect(metrics.render()).toContain('t_requests_total{tenant="b"} 7');
    tenants = ['a'];
    const text = metrics.render();
    expect(text).toContain('# TYPE t_requests_total counter\nt_requests_total{tenant="a"} 7\n');
    expect(text).toContain('# TYPE t_bucket_level gauge\nt_bucket_level{tenant="a"} 1\n');
    expect(text).not.toContain('tenant="b"');
  });

  it('keeps a label value from breaking the text format', () => {
    const metrics = createMetrics('t');
    metrics.set('x', 1, { tenant: 'a"b\nc' });
    expect(metrics.render()).toContain('t_x{tenant="a_b_c"} 1');
  });
});

import { describe, expect, it } from 'vitest';
import { measure, progressLine } from './replay-progress';

describe('rebuild progress', () => {
  const targets = [
    { topic: 'orders', partition: 0, end: 10 },
    { topic: 'orders', partition: 1, end: 0 },
    { topic: 'customers', partition: 0, end: 4 },
  ];

  it('counts applied events against where each partition ended when the rebuild started', () => {
    const applied = new Map([['orders/0', 4]]);
    expect(measure(targets, applied, new Map())).toEqual({ done: 5, total: 14, complete: false });
  });

  it('is complete when every partition reached its end, empty partitions included', () => {
    const applied = new Map([
      ['orders/0', 9],
      ['customers/0', 3],
    ]);
    expect(measure(targets, applied, new Map())).toEqual({ done: 14, total: 14, complete: true });
  });

  it('measures from the start offsets of a rebuild that began at a timestamp', () => {
    const starts = new Map([
      ['orders/0', 6],
      ['customers/0', 4],
    ]);
    expect(measure(targets, new Map([['orders/0', 7]]), starts)).toEqual({
      done: 2,
      total: 4,
      complete: false,
    });
  });

  it('draws a bar with rate and ETA', () => {
    expect(progressLine({ done: 50, total: 100, complete: false }, 25)).toBe(
      '[###############---------------] 50% 50/100 events · 25 ev/s · ETA 2s',
    );
  });

  it('shows no ETA while the rate is below one event per second', () => {
    expect(progressLine({ done: 1, total: 100, complete: false }, 0.01)).toMatch(/ETA \?$/);
  });
});

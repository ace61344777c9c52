import { describe, expect, it } from 'vitest';
import { logsBehindProgress } from './logs-behind-progress';

describe('logs behind the progress', () => {
  const progress = [
    { topic: 'cdp.orders.v1', partition: 0, appliedOffset: 41 },
    { topic: 'cdp.orders.v1', partition: 1, appliedOffset: -1 },
    { topic: 'cdp.customers.v1', partition: 0, appliedOffset: 9 },
  ];

  it('are none while every log ends past what was applied from it', () => {
    const ends = new Map([
      ['cdp.orders.v1/0', 42],
      ['cdp.orders.v1/1', 0],
      ['cdp.customers.v1/0', 12],
    ]);
    expect(logsBehindProgress(progress, ends)).toEqual([]);
  });

  it('name a partition whose log ends at or before an event applied from it, as a topic made again does', () => {
    const ends = new Map([
      ['cdp.orders.v1/0', 3],
      ['cdp.orders.v1/1', 0],
      ['cdp.customers.v1/0', 9],
    ]);
    expect(logsBehindProgress(progress, ends)).toEqual([
      { topic: 'cdp.orders.v1', partition: 0, appliedOffset: 41, logEnd: 3 },
      { topic: 'cdp.customers.v1', partition: 0, appliedOffset: 9, logEnd: 9 },
    ]);
  });

  it('leave out partitions whose end was not read', () => {
    expect(logsBehindProgress(progress, new Map())).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { partitionHealthy, type ProjectionProgressDoc } from './projection-progress';

const NOW = Date.parse('2026-11-30T12:00:00.000Z');
const doc = (appliedOffset: number, highWatermark: number, secondsAgo: number): ProjectionProgressDoc => ({
  _id: 'cdp.orders.v1/0',
  topic: 'cdp.orders.v1',
  partition: 0,
  appliedOffset,
  highWatermark,
  lastRecordedAt: null,
  updatedAt: new Date(NOW - secondsAgo * 1000).toISOString(),
});

describe('whether a projected partition is ready', () => {
  it('is ready when caught up, however long ago it last wrote progress', () => {
    expect(partitionHealthy(doc(9, 10, 3600), NOW)).toBe(true);
  });

  it('is ready while behind but writing progress', () => {
    expect(partitionHealthy(doc(5, 10, 5), NOW)).toBe(true);
  });

  it('is not ready when behind and silent for longer than the stall limit', () => {
    expect(partitionHealthy(doc(5, 10, 61), NOW)).toBe(false);
  });

  it('is not ready when it looked caught up but the log has grown since, with no progress', () => {
    expect(partitionHealthy(doc(9, 10, 120), NOW, 15)).toBe(false);
  });
});

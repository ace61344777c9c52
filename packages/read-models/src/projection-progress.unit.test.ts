import { describe, expect, it } from 'vitest';
import { watchLogEnds } from './log-end-watch';
import {
  maxLagMs,
  partitionHealthy,
  partitionLagMs,
  withUnstarted,
  type LogEnds,
  type ProjectionProgressDoc,
} from './projection-progress';

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

  it('is not ready when it looked caught up but events have waited in the log longer than the stall limit', () => {
    expect(partitionHealthy(doc(9, 10, 3600), NOW, { end: 15, waitingSinceMs: NOW - 61_000 })).toBe(false);
  });

  it('stays ready while events that came after a long quiet spell wait less than the stall limit', () => {
    expect(partitionHealthy(doc(9, 10, 3600), NOW, { end: 15, waitingSinceMs: NOW - 2_000 })).toBe(true);
  });
});

describe('how far a projected partition trails its log', () => {
  it('is zero when the log ends where the projector applied', () => {
    expect(partitionLagMs(doc(9, 10, 3600), NOW, { end: 10, waitingSinceMs: NOW })).toBe(0);
  });

  it('counts how long the events only the log end shows have waited, not the quiet spell before them', () => {
    expect(partitionLagMs(doc(9, 10, 3600), NOW, { end: 12, waitingSinceMs: NOW - 4_000 })).toBe(4_000);
  });

  it('is the age of the last applied event when the projector saw events waiting', () => {
    const behind = { ...doc(5, 10, 1), lastRecordedAt: new Date(NOW - 30_000).toISOString() };
    expect(partitionLagMs(behind, NOW, { end: 12, waitingSinceMs: NOW - 4_000 })).toBe(30_000);
  });
});

describe('partitions the projector has written no progress for', () => {
  // Kafka holds 3 events on customers partition 1, waiting for 30 s; the projector only reported orders/0.
  const ends: LogEnds = {
    partitionIds: () => ['cdp.orders.v1/0', 'cdp.customers.v1/1', 'cdp.customers.v1/2', 'haravan.raw.v1/0'],
    viewOf: (id, applied) =>
      id === 'cdp.customers.v1/1'
        ? { end: 3, waitingSinceMs: applied + 1 >= 3 ? NOW : NOW - 30_000 }
        : undefined,
  };

  it('count their waiting events as lag, so a read does not pass for caught up', () => {
    expect(maxLagMs([doc(9, 10, 5)], NOW, ['customers'], ends)).toBe(30_000);
    expect(maxLagMs([doc(9, 10, 5)], NOW, ['orders'], ends)).toBe(0);
  });

  it('are taken as nothing applied, and only for the projected topics', () => {
    const all = withUnstarted([doc(9, 10, 5)], ends);

    expect(all.map((d) => [d._id, d.appliedOffset])).toEqual([
      ['cdp.orders.v1/0', 9],
      ['cdp.customers.v1/1', -1],
      ['cdp.customers.v1/2', -1],
    ]);
    expect(all.map((d) => partitionHealthy(d, NOW, ends.viewOf(d._id, d.appliedOffset)))).toEqual([
      true,
      true,
      true,
    ]);
    expect(partitionHealthy(all[1]!, NOW + 61_000, ends.viewOf('cdp.customers.v1/1', -1))).toBe(false);
  });
});

describe('watching where the logs end', () => {
  it('dates the first unapplied event by when the log end was first seen past it', async () => {
    let clock = NOW;
    let high = 10;
    const watch = watchLogEnds(
      { fetchTopicOffsets: () => Promise.resolve([{ partition: 0, high: String(high) }]) },
      ['t'],
      { intervalMs: 60_000, now: () => clock },
    );
    try {
      await watch.refresh();
      clock += 1_000;
      high = 12;
      await watch.refresh();
      clock += 1_000;
      high = 20;
      await watch.refresh();
      clock += 1_000;

      expect(watch.viewOf('t/0', 9)).toEqual({ end: 20, waitingSinceMs: NOW + 1_000 });
      expect(watch.viewOf('t/0', 11)).toEqual({ end: 20, waitingSinceMs: NOW + 2_000 });
      expect(watch.viewOf('t/0', 19)).toEqual({ end: 20, waitingSinceMs: clock });
      expect(watch.viewOf('t/1', 0)).toBeUndefined();
    } finally {
      watch.stop();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { freshCursor } from './sync-cursor';
import { syncStatusOf, type SyncStatusInputs } from './sync-status';

const NOW = Date.parse('2025-06-01T10:00:00Z');
const inputs = (overrides: Partial<SyncStatusInputs>): SyncStatusInputs => ({
  stored: [],
  live: null,
  pollingBy: 'nobody',
  pushes: { pending: 0, succeeded: 0, failed: 0, oldestPendingAt: null },
  projectionLagMs: 0,
  deciderLagMs: 0,
  nowMs: NOW,
  ...overrides,
});

describe('the lag in the sync status', () => {
  it('is null for a resource never polled, and how far its cursor trails now once polled', () => {
    const orders = {
      ...freshCursor('shop-a', 'orders', NOW - 600_000),
      cursorMs: NOW - 65_000,
      lastPollStartedAtMs: NOW - 65_000,
      lastPollFinishedAtMs: NOW - 64_000,
    };
    // A backfill under way, no incremental poll yet: its cursor is where the sync began, not a poll's.
    const customers = freshCursor('shop-a', 'customers', NOW - 600_000);
    const { lag } = syncStatusOf(inputs({ stored: [orders, customers], projectionLagMs: 2_500 }));
    expect(lag).toEqual({
      cursorsMs: { orders: 65_000, customers: null, products: null },
      deciderMs: 0,
      projectionMs: 2_500,
    });
  });

  it("counts a stalled decider in the read models' lag, as the read API does", () => {
    const { lag } = syncStatusOf(inputs({ projectionLagMs: 2_500, deciderLagMs: 300_000 }));
    expect(lag).toMatchObject({ deciderMs: 300_000, projectionMs: 300_000 });
  });

  it("follows this process's live cursor over the stored one", () => {
    const stored = {
      ...freshCursor('shop-a', 'products', NOW - 600_000),
      lastPollStartedAtMs: NOW - 600_000,
    };
    const live = { ...stored, cursorMs: NOW - 1_000, lastPollStartedAtMs: NOW - 1_000 };
    const stats = {
      requests: 1,
      throttled: 0,
      failedRequests: 0,
      bucketLevel: 0,
      haravanClockAheadMs: 0,
      resources: {
        orders: { cursor: null, appended: 0 },
        customers: { cursor: null, appended: 0 },
        products: { cursor: live, appended: 3 },
      },
    };
    const { lag } = syncStatusOf(inputs({ stored: [stored], live: stats }));
    expect(lag.cursorsMs.products).toBe(1_000);
  });

  it("counts from Haravan's time where this host's clock runs ahead of it", () => {
    const polled = { ...freshCursor('shop-a', 'orders', NOW), lastPollStartedAtMs: NOW };
    const cursor = { ...polled, cursorMs: NOW - 600_000 - 2_000 };
    const stats = {
      requests: 1,
      throttled: 0,
      failedRequests: 0,
      bucketLevel: 0,
      haravanClockAheadMs: 600_000,
      resources: {
        orders: { cursor, appended: 0 },
        customers: { cursor: null, appended: 0 },
        products: { cursor: null, appended: 0 },
      },
    };
    const status = syncStatusOf(inputs({ live: stats }));
    expect(status.lag.cursorsMs.orders).toBe(2_000);
    expect(status.haravanClockAheadMs).toBe(600_000);
  });

  it("counts from Haravan's time where this host's clock runs behind it, so the polls' delay shows", () => {
    const polled = { ...freshCursor('shop-a', 'orders', NOW), lastPollStartedAtMs: NOW };
    // Polled up to this host's now, three minutes behind Haravan's.
    const cursor = { ...polled, cursorMs: NOW - 2_000 };
    const stats = {
      requests: 1,
      throttled: 0,
      failedRequests: 0,
      bucketLevel: 0,
      haravanClockAheadMs: -180_000,
      resources: {
        orders: { cursor, appended: 0 },
        customers: { cursor: null, appended: 0 },
        products: { cursor: null, appended: 0 },
      },
    };
    const status = syncStatusOf(inputs({ live: stats }));
    expect(status.lag.cursorsMs.orders).toBe(182_000);
    expect(status.haravanClockAheadMs).toBe(-180_000);
  });

  it("counts from a catch-up's progress while an outage's changes are still being read", () => {
    const orders = {
      ...freshCursor('shop-a', 'orders', NOW - 86_400_000),
      cursorMs: NOW - 1_000,
      lastPollStartedAtMs: NOW - 1_000,
      catchUp: {
        fromMs: NOW - 7_200_000,
        untilMs: NOW - 600_000,
        keyset: { bound: NOW - 3_600_000, tie: null },
        pages: 12,
      },
    };
    const status = syncStatusOf(inputs({ stored: [orders] }));
    expect(status.lag.cursorsMs.orders).toBe(3_600_000);
    expect(status.resources.orders).toMatchObject({
      catchUp: {
        from: new Date(NOW - 7_200_000).toISOString(),
        reached: new Date(NOW - 3_600_000).toISOString(),
        until: new Date(NOW - 600_000).toISOString(),
        pages: 12,
      },
    });
  });

  it('shows a cursor this process cannot load as failing, with why, though the stored one looks fine', () => {
    const stored = { ...freshCursor('shop-a', 'orders', NOW - 600_000), lastPollStartedAtMs: NOW - 60_000 };
    const loadError = { code: 'ERR_HARAVAN_UNAVAILABLE', message: 'GET orders/count.json: 503', atMs: NOW };
    const stats = {
      requests: 3,
      throttled: 0,
      failedRequests: 3,
      bucketLevel: 0,
      haravanClockAheadMs: 0,
      resources: {
        orders: { cursor: null, loadError, appended: 0 },
        customers: { cursor: null, appended: 0 },
        products: { cursor: null, appended: 0 },
      },
    };
    const status = syncStatusOf(inputs({ stored: [stored], live: stats }));
    expect(status.phase).toBe('failing');
    expect(status.resources.orders).toMatchObject({
      phase: 'failing',
      lastError: { code: 'ERR_HARAVAN_UNAVAILABLE', at: new Date(NOW).toISOString() },
    });
  });
});

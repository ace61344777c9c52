import { createMetrics } from '@cdp/http';
import { describe, expect, it } from 'vitest';
import type { ShopStats } from './shop-scheduler';
import { freshCursor } from './sync-cursor';
import { writeSyncMetrics } from './sync-metrics';

const NOW = Date.parse('2025-06-01T10:00:00Z');

const render = (stats: ShopStats) => {
  const metrics = createMetrics('cdp_ingest');
  metrics.collect((out) => writeSyncMetrics(out, 'shop-a', stats, NOW));
  return metrics.render();
};

describe("a polled shop's metrics", () => {
  const polled = {
    ...freshCursor('shop-a', 'orders', NOW - 600_000),
    backfill: { ...freshCursor('shop-a', 'orders', NOW - 600_000).backfill, done: true },
    cursorMs: NOW - 70_000,
    lastPollStartedAtMs: NOW - 70_000,
  };
  const stats: ShopStats = {
    requests: 120,
    throttled: 3,
    failedRequests: 2,
    bucketLevel: 41,
    haravanClockAheadMs: 10_000,
    resources: {
      orders: { cursor: polled, appended: 9 },
      customers: { cursor: freshCursor('shop-a', 'customers', NOW - 600_000), appended: 0 },
      products: {
        cursor: null,
        loadError: { code: 'HARAVAN_UNREACHABLE', message: 'down', atMs: NOW },
        appended: 0,
      },
    },
  };

  it("count the shop's Haravan calls, throttled and failed ones, and its bucket", () => {
    const text = render(stats);
    expect(text).toContain('cdp_ingest_haravan_requests_total{tenant="shop-a"} 120');
    expect(text).toContain('cdp_ingest_haravan_throttled_total{tenant="shop-a"} 3');
    expect(text).toContain('cdp_ingest_haravan_failed_requests_total{tenant="shop-a"} 2');
    expect(text).toContain('cdp_ingest_haravan_bucket_level{tenant="shop-a"} 41');
  });

  it("give each resource's phase as one series per phase, a cursor that cannot load counting as failing", () => {
    const text = render(stats);
    expect(text).toContain('cdp_ingest_sync_phase{tenant="shop-a",resource="orders",phase="incremental"} 1');
    expect(text).toContain('cdp_ingest_sync_phase{tenant="shop-a",resource="orders",phase="backfill"} 0');
    expect(text).toContain('cdp_ingest_sync_phase{tenant="shop-a",resource="customers",phase="backfill"} 1');
    expect(text).toContain('cdp_ingest_sync_phase{tenant="shop-a",resource="products",phase="failing"} 1');
  });

  it("give a polled cursor's lag in Haravan's time, and none before a resource's first poll", () => {
    const text = render(stats);
    // 70 s behind the host, whose clock runs 10 s ahead of Haravan's.
    expect(text).toContain('cdp_ingest_sync_cursor_lag_seconds{tenant="shop-a",resource="orders"} 60');
    expect(text).not.toContain('cdp_ingest_sync_cursor_lag_seconds{tenant="shop-a",resource="customers"}');
  });
});

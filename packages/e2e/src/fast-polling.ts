import type { PollingConfig } from '@cdp/ingest';

/** Haravan's real bucket, with polls every second or two so tests see drops repaired quickly. */
export const fastPolling: PollingConfig = {
  intervalsMs: { orders: 1000, customers: 1000, products: 2000 },
  overlapMs: 2 * 60_000,
  pageSize: 50,
  bucket: { capacity: 80, drainPerSecond: 4, reserve: 10 },
  retry: { attempts: 3, throttledAttempts: 50, baseMs: 100, maxMs: 1000, timeoutMs: 5000 },
  pushIntervalMs: 200,
  pushRetentionMs: 86_400_000,
  failureDelayMs: 500,
};

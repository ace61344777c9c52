import type { IngestConfig } from '../config';
import type { RetryPolicy } from './haravan-client';
import type { PolledResource } from '@cdp/contracts';
import type { PushOutcomeLookup, PushRetry } from '../push/push-schedule';

export interface PollingConfig {
  intervalsMs: Readonly<Record<PolledResource, number>>;
  /** How far each incremental window reaches back before the stored cursor. */
  overlapMs: number;
  /** Haravan's maximum page size. */
  pageSize: number;
  bucket: { capacity: number; drainPerSecond: number; reserve: number };
  retry: RetryPolicy;
  /** How often the shop's waiting push commands are looked for. */
  pushIntervalMs: number;
  /** How long finished push commands stay readable before they are dropped. */
  pushRetentionMs: number;
  /** Default `DEFAULT_PUSH_RETRY` (push-schedule.ts). */
  pushRetry?: PushRetry;
  /** Default `DEFAULT_PUSH_OUTCOME_LOOKUP` (push-schedule.ts). */
  pushOutcomeLookup?: PushOutcomeLookup;
  /**
   * The longest stretch of `updated_at` a poll reads itself, back from its start. An older gap (the
   * service was down) is caught up between polls, so that recent changes are not queued behind it.
   * Default {@link DEFAULT_MAX_POLL_SPAN_MS}.
   */
  maxPollSpanMs?: number;
  /** Pause before a resource tries again after a failed page or poll. */
  failureDelayMs: number;
  /**
   * How long a polling lease lasts unrenewed: a dead instance's shops are polled again after at
   * most this long. Default {@link DEFAULT_LEASE_TTL_MS}.
   */
  leaseTtlMs?: number;
  /**
   * How often each resource is checked for deletions whose webhook was lost (see deletion-sweep).
   * Default {@link DEFAULT_SWEEP_INTERVAL_MS}.
   */
  sweepIntervalMs?: number;
  /** More 404s than this in one sweep are reported, not filed. Default {@link DEFAULT_SWEEP_MAX_DELETIONS}. */
  sweepMaxDeletions?: number;
}

export const DEFAULT_LEASE_TTL_MS = 30_000;
export const DEFAULT_MAX_POLL_SPAN_MS = 10 * 60_000;
export const DEFAULT_SWEEP_INTERVAL_MS = 6 * 3_600_000;
export const DEFAULT_SWEEP_MAX_DELETIONS = 500;

export function pollingConfigFrom(config: IngestConfig): PollingConfig {
  return {
    intervalsMs: {
      orders: config.POLL_ORDERS_INTERVAL_MS,
      customers: config.POLL_CUSTOMERS_INTERVAL_MS,
      products: config.POLL_PRODUCTS_INTERVAL_MS,
    },
    overlapMs: config.POLL_OVERLAP_MS,
    pageSize: 50,
    bucket: {
      capacity: config.HARAVAN_BUCKET_CAPACITY,
      drainPerSecond: config.HARAVAN_DRAIN_PER_SECOND,
      reserve: config.HARAVAN_BUCKET_RESERVE,
    },
    retry: { attempts: 5, throttledAttempts: 20, baseMs: 500, maxMs: 30_000, timeoutMs: 30_000 },
    pushIntervalMs: config.PUSH_INTERVAL_MS,
    pushRetentionMs: config.PUSH_RETENTION_MS,
    maxPollSpanMs: config.POLL_MAX_SPAN_MS,
    failureDelayMs: config.POLL_FAILURE_DELAY_MS,
    leaseTtlMs: config.POLLING_LEASE_TTL_MS,
    sweepIntervalMs: config.DELETION_SWEEP_INTERVAL_MS,
    sweepMaxDeletions: config.DELETION_SWEEP_MAX_DELETIONS,
  };
}

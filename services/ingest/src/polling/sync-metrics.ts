import { POLLED_RESOURCES, syncPhaseOf } from '@cdp/contracts';
import type { MetricsWriter } from '@cdp/http';
import type { ShopStats } from './shop-scheduler';
import { cursorLagMs, SYNC_PHASES } from './sync-status';

/**
 * One polled shop's Haravan calls and sync state as Prometheus series, so an operator can alert on
 * a shop that fails, is throttled or falls behind without reading each tenant's status.
 */
export function writeSyncMetrics(
  out: MetricsWriter,
  tenantId: string,
  stats: ShopStats,
  nowMs: number,
): void {
  const tenant = { tenant: tenantId };
  out.counter('haravan_requests_total', stats.requests, tenant);
  out.counter('haravan_throttled_total', stats.throttled, tenant);
  out.counter('haravan_failed_requests_total', stats.failedRequests, tenant);
  out.gauge('haravan_bucket_level', stats.bucketLevel, tenant);
  // Cursors are in Haravan's time, as the tenant's status counts them.
  const haravanNowMs = nowMs - stats.haravanClockAheadMs;
  for (const resource of POLLED_RESOURCES) {
    const { cursor, loadError } = stats.resources[resource];
    const labels = { ...tenant, resource };
    // As the tenant's status shows it: a cursor that cannot be loaded polls nothing.
    const phase = loadError ? 'failing' : cursor ? syncPhaseOf(cursor) : null;
    for (const each of SYNC_PHASES)
      out.gauge('sync_phase', each === phase ? 1 : 0, { ...labels, phase: each });
    const lagMs = cursorLagMs(cursor ?? undefined, haravanNowMs);
    if (lagMs !== null) out.gauge('sync_cursor_lag_seconds', lagMs / 1000, labels);
  }
}

import type { PollingBy } from './polling-lease';
import { POLLED_RESOURCES, type PolledResource } from './resources';
import type { ShopStats } from './shop-scheduler';
import type { SyncCursor } from './sync-cursor';

export type SyncPhase = 'backfill' | 'incremental' | 'failing';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function resourceStatus(cursor: SyncCursor | undefined, appended: number | undefined) {
  if (!cursor) return { phase: null, appended: appended ?? 0 };
  const { backfill } = cursor;
  const phase: SyncPhase = cursor.lastError ? 'failing' : backfill.done ? 'incremental' : 'backfill';
  return {
    phase,
    cursor: iso(cursor.cursorMs),
    lastPollStartedAt: iso(cursor.lastPollStartedAtMs),
    lastPollFinishedAt: iso(cursor.lastPollFinishedAtMs),
    backfill: {
      done: backfill.done,
      fetched: backfill.fetched,
      total: backfill.total,
      pages: backfill.pages,
      startedAt: iso(backfill.startedAtMs),
      finishedAt: iso(backfill.finishedAtMs),
      reachedBack: backfill.done ? null : iso(backfill.keyset.bound),
    },
    lastError: cursor.lastError && { ...cursor.lastError, at: iso(cursor.lastError.atMs) },
    appended: appended ?? 0,
  };
}

/**
 * What `GET /admin/tenants/{id}` shows under `sync`: the stored cursors (true in any process)
 * plus this process's live counters, when it runs the tenant's scheduler, and which instance holds
 * the tenant's polling lease.
 */
export function syncStatusOf(cursors: readonly SyncCursor[], live: ShopStats | null, pollingBy: PollingBy) {
  const byResource = new Map(cursors.map((c) => [c.resource, c]));
  const resources = Object.fromEntries(
    POLLED_RESOURCES.map((resource) => [
      resource,
      resourceStatus(
        live?.resources[resource].cursor ?? byResource.get(resource),
        live?.resources[resource].appended,
      ),
    ]),
  ) as Record<PolledResource, ReturnType<typeof resourceStatus>>;
  const phases = Object.values(resources).map((r) => r.phase);
  const phase: SyncPhase | null = phases.includes('failing')
    ? 'failing'
    : phases.includes('backfill') || phases.includes(null)
      ? 'backfill'
      : 'incremental';
  return {
    phase: cursors.length === 0 && !live ? null : phase,
    running: live !== null,
    pollingBy,
    requests: live?.requests ?? 0,
    throttled: live?.throttled ?? 0,
    failedRequests: live?.failedRequests ?? 0,
    bucketLevel: live?.bucketLevel ?? null,
    resources,
  };
}
export type SyncStatus = ReturnType<typeof syncStatusOf>;

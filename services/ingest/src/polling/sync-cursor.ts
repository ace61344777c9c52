import type { PolledResource, SyncCursor } from '@cdp/contracts';

/** A tenant's first sync: backfill everything up to now, and poll for changes from now on. */
export function freshCursor(tenantId: string, resource: PolledResource, nowMs: number): SyncCursor {
  return {
    tenantId,
    resource,
    backfill: {
      done: false,
      keyset: { bound: nowMs, tie: null },
      startedAtMs: nowMs,
      finishedAtMs: null,
      fetched: 0,
      pages: 0,
      total: null,
    },
    cursorMs: nowMs,
    lastPollStartedAtMs: null,
    lastPollFinishedAtMs: null,
    lastError: null,
  };
}

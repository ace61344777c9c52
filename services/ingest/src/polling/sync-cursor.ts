import type { PolledResource, SyncCursor } from '@cdp/contracts';

/** 2: lists Haravan does not sort are walked by narrowing windows (see keyset.ts). */
export const CURRENT_WALK = 2;

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
      walk: CURRENT_WALK,
    },
    cursorMs: nowMs,
    lastPollStartedAtMs: null,
    lastPollFinishedAtMs: null,
    lastError: null,
  };
}

/**
 * The cursor with its backfill started over, if that backfill was walked in a way that could skip
 * records of this list (the first walk trusted the order of lists Haravan does not sort); null if
 * it stands. Polls go on from where they were, so changes made meanwhile are not missed.
 */
export function backfillAgain(cursor: SyncCursor, sorts: boolean, nowMs: number): SyncCursor | null {
  if (sorts || (cursor.backfill.walk ?? 1) >= CURRENT_WALK) return null;
  return { ...cursor, backfill: freshCursor(cursor.tenantId, cursor.resource, nowMs).backfill };
}

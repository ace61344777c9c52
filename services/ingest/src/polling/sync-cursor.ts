import type { KeysetState } from './keyset';
import type { PolledResource } from './resources';

export interface SyncError {
  code: string;
  message: string;
  atMs: number;
}

/** Where one tenant's sync of one resource stands; epoch ms throughout. */
export interface SyncCursor {
  tenantId: string;
  resource: PolledResource;
  backfill: {
    done: boolean;
    /** Newest-first walk: everything updated after `keyset.bound` has been appended. */
    keyset: KeysetState;
    startedAtMs: number;
    finishedAtMs: number | null;
    fetched: number;
    pages: number;
    /** From count.json when the backfill began; null until known. */
    total: number | null;
  };
  /** Incremental polls resume here (minus the overlap). */
  cursorMs: number;
  lastPollStartedAtMs: number | null;
  lastPollFinishedAtMs: number | null;
  lastError: SyncError | null;
  /** The last deletion sweep; absent before the first. */
  lastSweep?: {
    finishedAtMs: number;
    deleted: number;
    /** When a sweep last listed every id (a busy shop's counts can hide deletions). */
    listedAtMs?: number | null;
    /** Why it stopped short; the next one runs an interval later. */
    error?: { code: string; message: string } | null;
  };
}

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

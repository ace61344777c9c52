/*
 * Ingest's `sync_cursors` documents (`{ _id, cursor }`): ingest writes them, and the ops console
 * reads them, so both take their shape from here.
 */

export type PolledResource = 'orders' | 'customers' | 'products';
export const POLLED_RESOURCES: readonly PolledResource[] = ['orders', 'customers', 'products'];

/** Where a backfill's newest-first walk by `updated_at` stands (see ingest's keyset.ts). */
export interface KeysetState {
  /** Inclusive lower (asc) or upper (desc) updated_at bound, epoch ms. */
  bound: number;
  /**
   * Paging one instant by number: forwards to its last page, then back to page 1 (`back`), since
   * records leaving the instant mid-walk shift the later ones to pages already read.
   */
  tie: { at: number; page: number; back?: boolean } | null;
  /**
   * The far end of a narrowed window (older for desc, newer for asc), used once Haravan answered a
   * full page out of `updated_at` order; absent or null when the window reaches the walk's end.
   */
  edge?: number | null;
}

export interface CatchUp {
  /** Where the gap began (the cursor then, minus the overlap). */
  fromMs: number;
  untilMs: number;
  keyset: KeysetState;
  pages: number;
}

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
    /** The walk it was made with; absent for the first, which trusted every list's order. */
    walk?: number;
  };
  /** Incremental polls resume here (minus the overlap). */
  cursorMs: number;
  /**
   * What a poll left to read after a gap longer than it reads itself (an outage): updated_at from
   * `keyset.bound` up to `untilMs`, walked oldest first between polls so that the polls keep
   * recent changes fresh meanwhile (R5). Absent or null when nothing is left.
   */
  catchUp?: CatchUp | null;
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

export type SyncPhase = 'backfill' | 'incremental' | 'failing';

/** An error wins, then an unfinished backfill. */
export const syncPhaseOf = (cursor: SyncCursor): SyncPhase =>
  cursor.lastError ? 'failing' : cursor.backfill.done ? 'incremental' : 'backfill';

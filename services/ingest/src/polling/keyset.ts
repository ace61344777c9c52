import type { KeysetState } from '@cdp/contracts';

/**
 * Haravan pages by page number only, and page numbers shift when records change mid-walk. So we
 * walk by `updated_at` instead: each page starts at the last page's edge timestamp (inclusive, so
 * records sharing it are fetched again, and the decider drops the repeats). A timestamp held by a
 * full page of records cannot be passed that way, so those are paged by number within that one
 * instant ("tie"), then the walk steps past it.
 */
export type Direction = 'asc' | 'desc';

export interface KeysetPage {
  min: number | undefined;
  max: number | undefined;
  page: number;
}

/** The window and page number of the next call; `limit` is the other, fixed end of the walk. */
export function keysetPage(state: KeysetState, direction: Direction, limit?: number): KeysetPage {
  if (state.tie) return { min: state.tie.at, max: state.tie.at, page: state.tie.page };
  return direction === 'desc'
    ? { min: limit, max: state.bound, page: 1 }
    : { min: state.bound, max: limit, page: 1 };
}

/** The state after a page whose records carry `stamps`; done once a page comes back short. */
export function keysetAdvance(
  state: KeysetState,
  direction: Direction,
  stamps: readonly (number | null)[],
  pageSize: number,
): { state: KeysetState; done: boolean } {
  const full = stamps.length >= pageSize;
  const step = direction === 'desc' ? -1 : 1;
  if (state.tie) {
    return full
      ? { state: { ...state, tie: { at: state.tie.at, page: state.tie.page + 1 } }, done: false }
      : { state: { bound: state.tie.at + step, tie: null }, done: false };
  }
  if (!full) return { state, done: true };
  const known = stamps.filter((s): s is number => s !== null);
  const edge = direction === 'desc' ? Math.min(...known) : Math.max(...known);
  const progressed = known.length > 0 && (direction === 'desc' ? edge < state.bound : edge > state.bound);
  // The first page of the tie is the page just read, so the tie walk starts at page 2.
  return progressed
    ? { state: { bound: edge, tie: null }, done: false }
    : { state: { bound: state.bound, tie: { at: state.bound, page: 2 } }, done: false };
}

/**
 * Whether a page's stamps come in the order asked for. Haravan documents `order` for orders only and
 * ignores what it does not know (products come back newest id first): a full page out of order
 * gives no edge the walk can trust.
 */
export function sortedAs(direction: Direction, stamps: readonly (number | null)[]): boolean {
  const known = stamps.filter((s): s is number => s !== null);
  return known.every((s, i) => i === 0 || (direction === 'desc' ? s <= known[i - 1]! : s >= known[i - 1]!));
}

import type { KeysetState } from '@cdp/contracts';

/**
 * Haravan pages by page number only, and page numbers shift when records change mid-walk. So we
 * walk by `updated_at` instead: each page starts at the last page's edge timestamp (inclusive, so
 * records sharing it are fetched again, and the decider drops the repeats). A timestamp held by a
 * full page of records cannot be passed that way, so those are paged by number within that one
 * instant ("tie"), then the walk steps past it. Page numbers shift there too: a record read on
 * page 1 that changes (its stamp moves to now) moves each later record one place forward, and the
 * first of page 2 onto page 1, already read. So a tie is paged forwards to its end, then back from
 * its last page but one to page 1: walking back, a shift only moves records onto pages still to be
 * read, or again onto one just read. Every record still at that instant is read once the walk is
 * back at page 1; one that changed is found at its new stamp.
 *
 * Haravan documents `order=` for orders only and ignores what it does not know (products come back
 * newest id first). A full page of a list it does not sort gives no edge to trust, even when it
 * happens to look sorted (the newest ids are often the newest changes, but not always), so the
 * window is narrowed instead: halved towards the bound until its records fit in one page, which then
 * holds all of them. The next window starts past it, sized by the density just seen. Records only
 * leave a past window (their `updated_at` moves to now, where a later walk finds them), so nothing
 * is skipped.
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
  const far = state.edge ?? limit;
  return direction === 'desc'
    ? { min: far, max: state.bound, page: 1 }
    : { min: state.bound, max: far, page: 1 };
}

/**
 * Whether a page's stamps come in the order asked for (unknown stamps aside). A full page out of
 * order gives no edge the walk can trust.
 */
export function sortedAs(direction: Direction, stamps: readonly (number | null)[]): boolean {
  const known = stamps.filter((s): s is number => s !== null);
  return known.every((s, i) => i === 0 || (direction === 'desc' ? s <= known[i - 1]! : s >= known[i - 1]!));
}

/** How full a narrowed window should come back: a window sized for this rarely overflows a page. */
const FILL = 0.6;
/** How much wider than the last the next window may be, after records and after none. */
const MAX_GROWTH = 4;
const EMPTY_GROWTH = 16;

export interface Walk {
  direction: Direction;
  pageSize: number;
  /** The walk's fixed end; for desc without one, the beginning of time. */
  limit?: number | undefined;
  /** Whether the list honours `order=updated_at …` (Haravan documents it for orders only). */
  sorts: boolean;
}

export interface KeysetStep {
  state: KeysetState;
  /** Once a page reaching the walk's end comes back short. */
  done: boolean;
  /**
   * How many of the page's records the walk will not read again: none of a full window it narrows,
   * and not those at a sorted page's edge, where the next page starts. Summed, each record once.
   */
  counted: number;
}

/** The state after a page whose records carry `stamps`. */
export function keysetAdvance(
  state: KeysetState,
  stamps: readonly (number | null)[],
  walk: Walk,
): KeysetStep {
  const { direction, pageSize, limit } = walk;
  const full = stamps.length >= pageSize;
  const step = direction === 'desc' ? -1 : 1;
  // Past the walk's fixed end nothing is left: asking would send a window whose min is above its max.
  const pastLimit = (bound: number) =>
    limit !== undefined && (direction === 'desc' ? bound < limit : bound > limit);
  /** The window of `width` instants past `bound`, or up to the walk's end when that is nearer. */
  const window = (bound: number, width: number): KeysetState => {
    const next = bound + step * (width - 1);
    const end = limit ?? (direction === 'desc' ? 0 : Infinity);
    const reachesEnd = direction === 'desc' ? next <= end : next >= end;
    return { bound, tie: null, edge: reachesEnd ? null : next };
  };
  if (state.tie) {
    const { at, page, back } = state.tie;
    // Pages read again on the way back were counted on the way there.
    const counted = back ? 0 : stamps.length;
    if (!back && full) return { state: { ...state, tie: { at, page: page + 1 } }, done: false, counted };
    if (page > 1)
      return { state: { ...state, tie: { at, page: page - 1, back: true } }, done: false, counted };
    const bound = at + step;
    // Narrowing goes on from one instant (records were crowded here) rather than from the whole walk.
    return {
      state: walk.sorts ? { bound, tie: null } : window(bound, 1),
      done: pastLimit(bound),
      counted,
    };
  }
  const edge = state.edge ?? null;
  if (!full) {
    if (edge === null) return { state, done: true, counted: stamps.length };
    // The narrowed window is complete: the next starts past it, sized for most of a page at the
    // density just seen.
    const bound = edge + step;
    const width = Math.abs(edge - state.bound) + 1;
    const factor =
      stamps.length === 0
        ? EMPTY_GROWTH
        : Math.min(MAX_GROWTH, Math.max(1 / 2, (FILL * pageSize) / stamps.length));
    return {
      state: window(bound, Math.max(1, Math.round(width * factor))),
      done: pastLimit(bound),
      counted: stamps.length,
    };
  }
  const known = stamps.filter((s): s is number => s !== null);
  // The page's stamp farthest from the bound: its edge, when the page is in order.
  const farthest = known.length > 0 ? (direction === 'desc' ? Math.min(...known) : Math.max(...known)) : null;
  if (edge === null && walk.sorts && sortedAs(direction, known)) {
    const progressed =
      farthest !== null && (direction === 'desc' ? farthest < state.bound : farthest > state.bound);
    // The first page of the tie is the page just read, so the tie walk starts at page 2.
    return progressed
      ? {
          state: { bound: farthest, tie: null },
          done: false,
          counted: stamps.filter((stamp) => stamp !== farthest).length,
        }
      : {
          state: { bound: state.bound, tie: { at: state.bound, page: 2 } },
          done: false,
          counted: stamps.length,
        };
  }
  // Full, and not known to be in order, or narrowed already: halve the window towards the bound.
  const far = edge ?? farthest ?? state.bound;
  const half = Math.trunc((far - state.bound) / 2);
  // Down to one instant: page it by number, from page 2 when the window just read was that instant
  // (its page 1), else from page 1.
  if (half === 0) {
    const page = (edge ?? limit) === state.bound ? 2 : 1;
    return {
      state: { bound: state.bound, tie: { at: state.bound, page } },
      done: false,
      counted: page === 2 ? stamps.length : 0,
    };
  }
  return { state: { bound: state.bound, tie: null, edge: state.bound + half }, done: false, counted: 0 };
}

import { describe, expect, it } from 'vitest';
import { keysetAdvance, keysetPage, sortedAs, type Walk } from './keyset';

const fresh = (bound: number) => ({ bound, tie: null });
const desc: Walk = { direction: 'desc', pageSize: 3, sorts: true };
const asc: Walk = { direction: 'asc', pageSize: 3, sorts: true, limit: 500 };

describe('keyset walk, newest first', () => {
  it('asks for everything up to the bound, page 1', () => {
    expect(keysetPage(fresh(100), 'desc')).toEqual({ min: undefined, max: 100, page: 1 });
  });
  it('moves the bound to the oldest stamp of a full page (inclusive), counting that stamp on the next page', () => {
    expect(keysetAdvance(fresh(100), [100, 90, 80], desc)).toEqual({
      state: fresh(80),
      done: false,
      counted: 2,
    });
  });
  it('is done at a short page', () => {
    expect(keysetAdvance(fresh(100), [90], desc)).toEqual({ state: fresh(100), done: true, counted: 1 });
    expect(keysetAdvance(fresh(100), [], desc).done).toBe(true);
  });
  it('pages through a timestamp shared by a full page to its end, back to page 1, then steps past it', () => {
    const tied = keysetAdvance(fresh(80), [80, 80, 80], desc);
    expect(tied).toEqual({ state: { bound: 80, tie: { at: 80, page: 2 } }, done: false, counted: 3 });
    expect(keysetPage(tied.state, 'desc')).toEqual({ min: 80, max: 80, page: 2 });
    const more = keysetAdvance(tied.state, [80, 80, 80], desc);
    expect(more.state.tie).toEqual({ at: 80, page: 3 });
    // Its last page: back from the page before it, reading again without counting again.
    const back = keysetAdvance(more.state, [80], desc);
    expect(back).toEqual({
      state: { bound: 80, tie: { at: 80, page: 2, back: true } },
      done: false,
      counted: 1,
    });
    expect(keysetPage(back.state, 'desc')).toEqual({ min: 80, max: 80, page: 2 });
    const first = keysetAdvance(back.state, [80, 80, 80], desc);
    expect(first).toEqual({
      state: { bound: 80, tie: { at: 80, page: 1, back: true } },
      done: false,
      counted: 0,
    });
    expect(keysetAdvance(first.state, [80, 80, 80], desc)).toEqual({
      state: fresh(79),
      done: false,
      counted: 0,
    });
  });
  it('treats a page without usable stamps as a tie rather than looping', () => {
    expect(keysetAdvance(fresh(80), [null, null], { ...desc, pageSize: 2 }).state.tie).toEqual({
      at: 80,
      page: 2,
    });
  });
});

describe('keyset walk, oldest first (incremental)', () => {
  it('asks from the bound to the fixed end', () => {
    expect(keysetPage(fresh(10), 'asc', 500)).toEqual({ min: 10, max: 500, page: 1 });
  });
  it('is done once a tie at its fixed end is read, instead of asking past it', () => {
    const tied = keysetAdvance(fresh(500), [500, 500, 500], asc).state;
    const back = keysetAdvance(tied, [500], asc).state;
    expect(keysetAdvance(back, [500, 500, 500], asc)).toEqual({ state: fresh(501), done: true, counted: 0 });
    expect(keysetAdvance({ bound: 490, tie: null, edge: 500 }, [495], { ...asc, sorts: false }).done).toBe(
      true,
    );
  });
  it('moves the bound to the newest stamp and steps past a tie upwards', () => {
    expect(keysetAdvance(fresh(10), [10, 20, 30], asc).state).toEqual(fresh(30));
    const tied = keysetAdvance(fresh(30), [30, 30, 30], asc).state;
    const back = keysetAdvance(tied, [30], asc).state;
    expect(keysetAdvance(back, [30, 30, 30], asc).state).toEqual(fresh(31));
  });
});

describe('keyset walk of a list Haravan does not sort', () => {
  const unsorted: Walk = { ...desc, sorts: false };

  it('halves the window towards the bound at a full page, however sorted it looks', () => {
    const narrowed = keysetAdvance(fresh(100), [100, 90, 80], unsorted);
    expect(narrowed).toEqual({ state: { bound: 100, tie: null, edge: 90 }, done: false, counted: 0 });
    expect(keysetPage(narrowed.state, 'desc')).toEqual({ min: 90, max: 100, page: 1 });
    expect(keysetAdvance(narrowed.state, [95, 100, 91], unsorted).state).toEqual({
      bound: 100,
      tie: null,
      edge: 95,
    });
  });
  it('goes past a window that fits in one page, to one sized for most of a page at the density seen', () => {
    // 11 instants held one record: 20 should hold about 0.6 of a page of 3.
    const past = (stamps: number[]) => keysetAdvance({ bound: 1000, tie: null, edge: 990 }, stamps, unsorted);
    expect(past([995])).toEqual({ state: { bound: 989, tie: null, edge: 970 }, done: false, counted: 1 });
    expect(past([995, 992]).state).toEqual({ bound: 989, tie: null, edge: 980 });
    // An empty window says little: sixteen times as wide.
    expect(past([]).state).toEqual({ bound: 989, tie: null, edge: 814 });
  });
  it('narrows on from one instant past a tie, where records were crowded', () => {
    const tied = { bound: 100, tie: { at: 100, page: 1, back: true } };
    expect(keysetAdvance(tied, [100, 100, 100], unsorted).state).toEqual({ bound: 99, tie: null, edge: 99 });
    expect(keysetAdvance(tied, [100, 100, 100], desc).state).toEqual({ bound: 99, tie: null });
    // A tie of one page, read from its page 1: nothing to read again.
    expect(keysetAdvance({ bound: 100, tie: { at: 100, page: 1 } }, [100], unsorted).state).toEqual({
      bound: 99,
      tie: null,
      edge: 99,
    });
  });
  it("opens the window to the walk's end once the next would reach it, and is done at its short page", () => {
    const opened = keysetAdvance({ bound: 10, tie: null, edge: 5 }, [], unsorted);
    expect(opened).toEqual({ state: { bound: 4, tie: null, edge: null }, done: false, counted: 0 });
    expect(keysetPage(opened.state, 'desc')).toEqual({ min: undefined, max: 4, page: 1 });
    expect(keysetAdvance(opened.state, [1], unsorted).done).toBe(true);
  });
  it('pages by number through one instant once the window cannot be halved, from the page not yet read', () => {
    expect(keysetAdvance({ bound: 100, tie: null, edge: 99 }, [99, 99, 99], unsorted).state).toEqual({
      bound: 100,
      tie: { at: 100, page: 1 },
    });
    expect(keysetAdvance({ bound: 100, tie: null, edge: 99 }, [99, 99, 99], unsorted).counted).toBe(0);
    // The window read was that instant: its page 1 is the page just read, and counts.
    const single = keysetAdvance({ bound: 100, tie: null, edge: 100 }, [100, 100, 100], unsorted);
    expect(single).toMatchObject({ state: { bound: 100, tie: { at: 100, page: 2 } }, counted: 3 });
    // Likewise an oldest-first window that ends at the walk's end instant.
    expect(keysetAdvance({ bound: 500, tie: null }, [500, 500, 500], { ...asc, sorts: false })).toMatchObject(
      {
        state: { bound: 500, tie: { at: 500, page: 2 } },
        counted: 3,
      },
    );
  });
  it('does not trust the edge of a page out of order, even from a list that sorts', () => {
    expect(keysetAdvance(fresh(100), [80, 100, 90], desc).state).toEqual({ bound: 100, tie: null, edge: 90 });
  });
});

describe('pages in the order asked for', () => {
  it('tells a page in order from one that is not (unknown stamps aside)', () => {
    expect(sortedAs('desc', [30, 30, null, 20, 10])).toBe(true);
    expect(sortedAs('asc', [10, 20, 20])).toBe(true);
    expect(sortedAs('desc', [10, 30, 20])).toBe(false);
    expect(sortedAs('asc', [20, 10])).toBe(false);
  });
});

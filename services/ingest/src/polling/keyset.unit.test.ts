import { describe, expect, it } from 'vitest';
import { keysetAdvance, keysetPage, sortedAs } from './keyset';

const fresh = (bound: number) => ({ bound, tie: null });

describe('keyset walk, newest first', () => {
  it('asks for everything up to the bound, page 1', () => {
    expect(keysetPage(fresh(100), 'desc')).toEqual({ min: undefined, max: 100, page: 1 });
  });
  it('moves the bound to the oldest stamp of a full page (inclusive)', () => {
    expect(keysetAdvance(fresh(100), 'desc', [100, 90, 80], 3)).toEqual({
      state: fresh(80),
      done: false,
    });
  });
  it('is done at a short page', () => {
    expect(keysetAdvance(fresh(100), 'desc', [90], 3)).toEqual({ state: fresh(100), done: true });
    expect(keysetAdvance(fresh(100), 'desc', [], 3).done).toBe(true);
  });
  it('pages through a timestamp shared by a full page, then steps past it', () => {
    const tied = keysetAdvance(fresh(80), 'desc', [80, 80, 80], 3);
    expect(tied).toEqual({ state: { bound: 80, tie: { at: 80, page: 2 } }, done: false });
    expect(keysetPage(tied.state, 'desc')).toEqual({ min: 80, max: 80, page: 2 });
    const more = keysetAdvance(tied.state, 'desc', [80, 80, 80], 3);
    expect(more.state.tie).toEqual({ at: 80, page: 3 });
    expect(keysetAdvance(more.state, 'desc', [80], 3)).toEqual({ state: fresh(79), done: false });
  });
  it('treats a page without usable stamps as a tie rather than looping', () => {
    expect(keysetAdvance(fresh(80), 'desc', [null, null], 2).state.tie).toEqual({ at: 80, page: 2 });
  });
});

describe('keyset walk, oldest first (incremental)', () => {
  it('asks from the bound to the fixed end', () => {
    expect(keysetPage(fresh(10), 'asc', 500)).toEqual({ min: 10, max: 500, page: 1 });
  });
  it('moves the bound to the newest stamp and steps past a tie upwards', () => {
    expect(keysetAdvance(fresh(10), 'asc', [10, 20, 30], 3).state).toEqual(fresh(30));
    const tied = keysetAdvance(fresh(30), 'asc', [30, 30, 30], 3).state;
    expect(keysetAdvance(tied, 'asc', [30], 3).state).toEqual(fresh(31));
  });
});

describe('pages in the order asked for', () => {
  it('tells a page Haravan sorted from one it did not (unknown stamps aside)', () => {
    expect(sortedAs('desc', [30, 30, null, 20, 10])).toBe(true);
    expect(sortedAs('asc', [10, 20, 20])).toBe(true);
    expect(sortedAs('desc', [10, 30, 20])).toBe(false);
    expect(sortedAs('asc', [20, 10])).toBe(false);
  });
});

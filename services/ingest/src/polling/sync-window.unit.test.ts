import { describe, expect, it } from 'vitest';
import {
  catchUpBefore,
  cursorAfterPage,
  cursorAfterPoll,
  incrementalWindow,
  pollSpanMs,
} from './sync-window';

const MIN = 60_000;

describe('incremental windows', () => {
  it('reach back by the overlap and end at the poll start', () => {
    expect(incrementalWindow(10 * MIN, 15 * MIN, 2 * MIN)).toEqual({ min: 8 * MIN, max: 15 * MIN });
  });
  it('never start after the poll start, even with a cursor from a clock that ran ahead', () => {
    expect(incrementalWindow(20 * MIN, 15 * MIN, 2 * MIN)).toEqual({ min: 13 * MIN, max: 15 * MIN });
  });
  it('cap the cursor at the poll start, not at the time the poll ends', () => {
    expect(cursorAfterPoll(10 * MIN, 15 * MIN)).toBe(15 * MIN);
    expect(cursorAfterPage(10 * MIN, 16 * MIN, 15 * MIN)).toBe(15 * MIN);
  });
  it('only move the cursor forward', () => {
    expect(cursorAfterPage(10 * MIN, 9 * MIN, 15 * MIN)).toBe(10 * MIN);
    expect(cursorAfterPage(10 * MIN, 12 * MIN, 15 * MIN)).toBe(12 * MIN);
    expect(cursorAfterPoll(16 * MIN, 15 * MIN)).toBe(16 * MIN);
  });
});

describe('catching up after a gap longer than a poll reads', () => {
  const HOUR = 60 * MIN;
  it('reads at least two intervals itself, so an ordinary gap is never taken for an outage', () => {
    expect(pollSpanMs(10 * MIN, 1 * MIN)).toBe(10 * MIN);
    expect(pollSpanMs(10 * MIN, 15 * MIN)).toBe(30 * MIN);
  });
  it('leaves nothing to catch up when the gap fits in one poll', () => {
    expect(catchUpBefore(50 * MIN, 60 * MIN, 10 * MIN, 2 * MIN, null)).toBeNull();
  });
  it('leaves the older part of a longer gap, from the cursor minus the overlap', () => {
    expect(catchUpBefore(1 * HOUR, 5 * HOUR, 10 * MIN, 2 * MIN, null)).toEqual({
      fromMs: 58 * MIN,
      untilMs: 5 * HOUR - 10 * MIN,
      keyset: { bound: 58 * MIN, tie: null },
      pages: 0,
    });
  });
  it('reaches further with a catch-up still going, keeping where it stands', () => {
    const going = {
      fromMs: 58 * MIN,
      untilMs: 2 * HOUR,
      keyset: { bound: 90 * MIN, tie: { at: 90 * MIN, page: 3 } },
      pages: 7,
    };
    expect(catchUpBefore(2 * HOUR, 5 * HOUR, 10 * MIN, 2 * MIN, going)).toEqual({
      ...going,
      untilMs: 5 * HOUR - 10 * MIN,
    });
  });
});

import { describe, expect, it } from 'vitest';
import { cursorAfterPage, cursorAfterPoll, incrementalWindow } from './sync-window';

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

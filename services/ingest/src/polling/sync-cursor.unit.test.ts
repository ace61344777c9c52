import { describe, expect, it } from 'vitest';
import type { SyncCursor } from '@cdp/contracts';
import { backfillAgain, CURRENT_WALK, freshCursor } from './sync-cursor';

const DAY = 86_400_000;

/** A backfill finished a day ago by the first walk (no `walk` recorded), polled since. */
function finishedByFirstWalk(): SyncCursor {
  const cursor = freshCursor('shop', 'products', 0);
  const { walk: _firstHadNone, ...backfill } = cursor.backfill;
  return {
    ...cursor,
    backfill: { ...backfill, done: true, finishedAtMs: DAY, fetched: 120, pages: 3, total: 120 },
    cursorMs: 2 * DAY,
    lastPollStartedAtMs: 2 * DAY,
  };
}

describe('backfills walked before unsorted lists were narrowed', () => {
  it("are started over for a list Haravan does not sort, keeping the polls' cursor", () => {
    const again = backfillAgain(finishedByFirstWalk(), false, 3 * DAY);

    expect(again?.backfill).toEqual(freshCursor('shop', 'products', 3 * DAY).backfill);
    expect(again?.backfill.walk).toBe(CURRENT_WALK);
    expect(again).toMatchObject({ cursorMs: 2 * DAY, lastPollStartedAtMs: 2 * DAY });
  });

  it('stand for a sorted list, and once walked the current way', () => {
    expect(backfillAgain(finishedByFirstWalk(), true, 3 * DAY)).toBeNull();
    expect(backfillAgain(freshCursor('shop', 'products', 0), false, 3 * DAY)).toBeNull();
  });
});

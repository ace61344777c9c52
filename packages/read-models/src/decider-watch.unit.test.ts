import { describe, expect, it } from 'vitest';
import { deciderLagMs } from './decider-watch';
import type { LogEnds } from './projection-progress';

/** Log ends as a watch saw them: partition 0 ends at 10 and had 4..9 waiting since t=1000. */
const ends: LogEnds = {
  viewOf: (id, applied) =>
    id === 'raw/0'
      ? { end: 10, waitingSinceMs: applied + 1 >= 10 ? 5_000 : applied + 1 >= 4 ? 1_000 : 0 }
      : undefined,
};

describe("the decider's lag over the raw topic", () => {
  it('is how long the first record past the committed offset has waited', () => {
    expect(deciderLagMs('raw', new Map([[0, 4]]), ends, 5_000)).toBe(4_000);
  });

  it('is zero once the group has committed the whole log', () => {
    expect(deciderLagMs('raw', new Map([[0, 10]]), ends, 5_000)).toBe(0);
  });

  it('counts every record of a partition the group never committed', () => {
    expect(deciderLagMs('raw', new Map([[0, -1]]), ends, 5_000)).toBe(5_000);
  });

  it('takes no lag from a partition whose end was not seen yet', () => {
    expect(deciderLagMs('raw', new Map([[1, 0]]), ends, 5_000)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { rawLag } from './decider-lag';

const map = (entries: [number, number][]) => new Map(entries);

describe("the decider's lag on the raw log", () => {
  it('counts the raw records its group has not committed', () => {
    expect(
      rawLag(
        map([
          [0, 10],
          [1, 4],
        ]),
        map([
          [0, 7],
          [1, 4],
        ]),
      ),
    ).toBe(3);
  });

  it('counts a partition the group never committed from its start', () => {
    expect(rawLag(map([[0, 5]]), map([[0, -1]]))).toBe(5);
    expect(rawLag(map([[0, 5]]), map([]))).toBe(5);
  });
});

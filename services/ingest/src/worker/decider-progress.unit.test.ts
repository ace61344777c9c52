import { describe, expect, it } from 'vitest';
import { nextProgress, stalled, type DeciderProgress } from './decider-progress';

const STALL_MS = 60_000;
const start: DeciderProgress = { lag: null, behind: false, movedAt: 0, committed: new Map() };
const map = (entries: [number, number][]) => new Map(entries);

describe("the decider's progress, seen from Kafka", () => {
  it('counts the raw records it has not committed', () => {
    const p = nextProgress(
      start,
      map([
        [0, 10],
        [1, 4],
      ]),
      map([
        [0, 7],
        [1, 4],
      ]),
      1_000,
    );

    expect(p.lag).toBe(3);
  });

  it('is moving while its committed offsets advance, however far behind', () => {
    let p = nextProgress(start, map([[0, 100]]), map([[0, 10]]), 1_000);
    p = nextProgress(p, map([[0, 200]]), map([[0, 20]]), 70_000);

    expect(stalled(p, 70_000, STALL_MS)).toBe(false);
  });

  it('stalls when records wait and nothing is committed for longer than the limit', () => {
    let p = nextProgress(start, map([[0, 100]]), map([[0, 10]]), 1_000);
    p = nextProgress(p, map([[0, 100]]), map([[0, 10]]), 30_000);

    expect(stalled(p, 30_000, STALL_MS)).toBe(false);
    expect(stalled(p, 61_001, STALL_MS)).toBe(true);
  });

  it('is not stalled by a trailing transaction marker: one record behind, forever', () => {
    let p = nextProgress(start, map([[0, 11]]), map([[0, 10]]), 1_000);
    p = nextProgress(p, map([[0, 11]]), map([[0, 10]]), 500_000);

    expect(p.lag).toBe(1);
    expect(stalled(p, 500_000, STALL_MS)).toBe(false);
  });

  it('is never stalled when caught up, however long since it last moved', () => {
    const p = nextProgress(start, map([[0, 10]]), map([[0, 10]]), 1_000);

    expect(stalled(p, 1_000_000, STALL_MS)).toBe(false);
  });

  it('counts a partition the group never committed from its start', () => {
    const p = nextProgress(start, map([[0, 5]]), map([[0, -1]]), 1_000);

    expect(p.lag).toBe(5);
  });
});

/** Simulated time: it moves only when the simulation moves it, so runs are reproducible. */
export interface SimClock {
  now(): number;
  advance(ms: number): void;
  /** Moves forward to `ms`; never backwards, so `updated_at` stays monotonic. */
  advanceTo(ms: number): void;
}

export function createSimClock(startMs: number): SimClock {
  let current = startMs;
  return {
    now: () => current,
    advance(ms) {
      if (ms < 0) throw new Error('clock cannot go backwards');
      current += ms;
    },
    advanceTo(ms) {
      current = Math.max(current, ms);
    },
  };
}

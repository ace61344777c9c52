/**
 * Haravan's clock, as its answers' `Date` header tells it. Polling windows and cursors are
 * Haravan `updated_at` times: a cursor set from a host clock running ahead of Haravan's would sit
 * past what Haravan stamps next, and those changes would fall below every later window. Only a
 * host ahead is corrected (one behind is already on the safe side); the header's whole seconds
 * and the answer's travel make the estimate err towards an earlier Haravan time, also safe.
 */
export interface HaravanClock {
  /** An answer's `Date` header, read at local time `atMs`. */
  observe(dateHeader: string | null, atMs: number): void;
  /** Whether any answer has told the clock yet. */
  known(): boolean;
  /** How far the host's clock runs ahead of Haravan's, as far as known (0 if behind or unknown). */
  aheadMs(): number;
  /**
   * The same, negative when the host runs behind (0 unknown): not corrected, but shown, as it delays
   * every poll by as much (its windows end at the host's now).
   */
  offsetMs(): number;
  /** Haravan's time now, as far as known: the host's, less how far the host is ahead. */
  now(): number;
}

export function createHaravanClock(localNow: () => number): HaravanClock {
  let offsetMs: number | null = null;
  const aheadMs = () => Math.max(0, offsetMs ?? 0);
  return {
    observe(dateHeader, atMs) {
      const haravanMs = dateHeader === null ? NaN : Date.parse(dateHeader);
      if (!Number.isNaN(haravanMs)) offsetMs = atMs - haravanMs;
    },
    known: () => offsetMs !== null,
    aheadMs,
    offsetMs: () => offsetMs ?? 0,
    now: () => localNow() - aheadMs(),
  };
}

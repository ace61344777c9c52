import type { CatchUp } from '@cdp/contracts';

/**
 * Incremental polls ask for `updated_at` in [cursor - overlap, poll start]. The overlap covers
 * clock skew and writes committed late with an earlier timestamp; the end is the poll's start,
 * never "now" at the end of the poll, so a write landing while we page is not skipped.
 */
export function incrementalWindow(
  cursorMs: number,
  pollStartedAtMs: number,
  overlapMs: number,
): { min: number; max: number } {
  return { min: Math.min(cursorMs, pollStartedAtMs) - overlapMs, max: pollStartedAtMs };
}

/** The stored cursor after a page reaching `pageEdgeMs`: forward only, and never past the poll's start. */
export function cursorAfterPage(cursorMs: number, pageEdgeMs: number, pollStartedAtMs: number): number {
  return Math.max(cursorMs, Math.min(pageEdgeMs, pollStartedAtMs));
}

/** The stored cursor once a poll has read its whole window. */
export function cursorAfterPoll(cursorMs: number, pollStartedAtMs: number): number {
  return Math.max(cursorMs, pollStartedAtMs);
}

/**
 * How far back a poll reads itself: the configured span, but never less than two intervals, so
 * that the gap of an ordinary poll (an interval, and the time the last one took) is never taken
 * for an outage, whatever the interval is set to.
 */
export const pollSpanMs = (configuredMs: number, intervalMs: number): number =>
  Math.max(configuredMs, 2 * intervalMs);

/**
 * A poll reads at most `maxSpanMs` back from its start: of a longer gap since the cursor (the
 * service was down), it leaves the older part to a catch-up walked between polls, so that recent
 * changes are not queued behind the backlog (R5). The catch-up then, or null when there is no such gap.
 * A catch-up still going just reaches further: what lies between was polled, and is read again.
 */
export function catchUpBefore(
  cursorMs: number,
  pollStartedAtMs: number,
  maxSpanMs: number,
  overlapMs: number,
  going: CatchUp | null,
): CatchUp | null {
  const untilMs = pollStartedAtMs - maxSpanMs;
  if (cursorMs >= untilMs) return null;
  if (going) return { ...going, untilMs: Math.max(going.untilMs, untilMs) };
  const fromMs = cursorMs - overlapMs;
  return { fromMs, untilMs, keyset: { bound: fromMs, tie: null }, pages: 0 };
}

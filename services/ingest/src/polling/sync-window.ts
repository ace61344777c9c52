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

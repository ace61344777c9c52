export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** Exponential backoff's bound: attempt 1 waits up to baseMs, attempt n up to baseMs·2^(n-1), never more than maxMs. */
export const backoffCeilingMs = (attempt: number, policy: BackoffPolicy): number =>
  Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));

/** Exponential backoff with full jitter, up to `backoffCeilingMs`: jitter keeps many shops from retrying in lockstep. */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  return Math.round(backoffCeilingMs(attempt, policy) * random());
}

/** `Retry-After` in seconds (Haravan sends decimals like `2.0`) or an HTTP date; null when unusable. */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^(\d+\.?\d*|\.\d+)$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date (IMF-fixdate); Date.parse takes much else (`-1`, `May 5`) for dates in 2001.
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

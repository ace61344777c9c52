import type { Logger } from '@cdp/logging';
import { isTransient } from './transient-error';

export interface Backoff {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 200, maxMs: 10_000 };

/** The wait before attempt `attempt + 1`: doubling from `baseMs`, at most `maxMs`. */
export const backoffDelay = (backoff: Backoff, attempt: number): number =>
  Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempt - 1));

/**
 * Retries store work through an outage, with backoff, until it succeeds; an error that is not an
 * outage, or any error once `keepTrying()` says no, is thrown.
 */
export async function throughOutages<T>(
  what: string,
  work: () => Promise<T>,
  retry: { log: Logger; backoff: Backoff; keepTrying: () => boolean },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!retry.keepTrying() || !isTransient(error)) throw error;
      const delay = backoffDelay(retry.backoff, attempt);
      retry.log.warn({ err: error, what, attempt, transient: true, delay }, 'store unavailable; retrying');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

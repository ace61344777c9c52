import type { BackoffPolicy } from '../polling/backoff';

/**
 * How a push Haravan surely did not act on (unreachable, 5xx or 429 after the client's own
 * retries) is tried again: after `backoffCeilingMs` of the sends so far, no jitter (one sender a shop).
 */
export interface PushRetry extends BackoffPolicy {
  /** Sends of one command before it fails. */
  attempts: number;
}

/**
 * How long a create whose answer was lost is looked for in what Haravan lists before it fails:
 * Haravan may list a new resource late, and a failed command invites the client to push again,
 * which for an order makes a second one.
 */
export interface PushOutcomeLookup {
  windowMs: number;
  lookEveryMs: number;
}

/** Ten sends over about 20 minutes. */
export const DEFAULT_PUSH_RETRY: PushRetry = { attempts: 10, baseMs: 5_000, maxMs: 300_000 };
export const DEFAULT_PUSH_OUTCOME_LOOKUP: PushOutcomeLookup = { windowMs: 30 * 60_000, lookEveryMs: 60_000 };

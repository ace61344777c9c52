/** How a push Haravan surely did not act on (unreachable, 5xx or 429 after the client's own retries) is tried again. */
export interface PushRetry {
  /** Sends of one command before it fails. */
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
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
export const DEFAULT_PUSH_RETRY: PushRetry = { attempts: 10, firstDelayMs: 5_000, maxDelayMs: 300_000 };
export const DEFAULT_PUSH_OUTCOME_LOOKUP: PushOutcomeLookup = { windowMs: 30 * 60_000, lookEveryMs: 60_000 };

/** The wait before the next send of a command given back `attempts` times: doubling, capped. */
export const retryDelayMs = (retry: PushRetry, attempts: number): number =>
  Math.min(retry.maxDelayMs, retry.firstDelayMs * 2 ** Math.max(0, attempts - 1));

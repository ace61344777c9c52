import { inspect } from 'node:util';

export interface WaitForOptions {
  /** Give up after this many milliseconds (default 10 000). */
  timeoutMs?: number;
  /** Pause between attempts (default 100). */
  intervalMs?: number;
  /** Text for the timeout error, e.g. "consumer to receive 3 messages". */
  description?: string;
}

/**
 * Polls `fn` until it returns a value other than `undefined`, `null` or `false` (or, for a
 * function that throws, until it stops throwing) and returns that value.
 * Throws an Error naming the description, the timeout and the last error or result on timeout.
 */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<Exclude<T, undefined | null | false>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 100;
  const description = options.description ?? 'condition';
  const deadline = Date.now() + timeoutMs;
  let attempts = 0;
  let lastError: unknown;
  let lastValue: unknown;
  for (;;) {
    attempts += 1;
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) {
        return value as Exclude<T, undefined | null | false>;
      }
      lastValue = value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const last =
        lastError !== undefined
          ? `last error: ${lastError instanceof Error ? lastError.message : inspect(lastError)}`
          : `last result: ${inspect(lastValue)}`;
      throw new Error(
        `waitFor: timed out after ${timeoutMs} ms (${attempts} attempts) waiting for ${description}; ${last}`,
        { cause: lastError },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

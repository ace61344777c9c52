import { setTimeout as sleep } from 'node:timers/promises';

export interface ConcurrentTransactionsRetry {
  /** Tries in all, the first included. */
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** Like the Java producer's: short waits first, since the coordinator usually finishes within milliseconds. */
export const defaultConcurrentTransactionsRetry: ConcurrentTransactionsRetry = {
  attempts: 12,
  firstDelayMs: 20,
  maxDelayMs: 1_000,
};

const isConcurrentTransactions = (error: unknown) =>
  typeof error === 'object' &&
  error !== null &&
  (error as { type?: unknown }).type === 'CONCURRENT_TRANSACTIONS';

/**
 * Runs a transaction step again while the coordinator answers CONCURRENT_TRANSACTIONS: it is still
 * writing the previous transaction's commit markers, which `commit()` does not wait for. kafkajs
 * retries this answer to AddPartitionsToTxn but not to AddOffsetsToTxn (kafkajs#1068), so a
 * transaction that starts with `sendOffsets` (a record that decides no events) right after a commit
 * failed, and was aborted and its producer fenced and recreated for a condition that clears itself.
 */
export async function retryConcurrentTransactions<T>(
  step: () => Promise<T>,
  retry: ConcurrentTransactionsRetry = defaultConcurrentTransactionsRetry,
  wait: (ms: number) => Promise<unknown> = sleep,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= retry.attempts || !isConcurrentTransactions(error)) throw error;
      await wait(Math.min(retry.maxDelayMs, retry.firstDelayMs * 2 ** (attempt - 1)));
    }
  }
}

import { logLevel } from 'kafkajs';

export type PinoLevel = 'error' | 'warn' | 'info' | 'debug';

const levels: Record<number, PinoLevel> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * Conditions kafkajs logs as errors although it retries them and they are expected here: a
 * transactional producer's next operation racing the broker's completion of the previous one
 * (CONCURRENT_TRANSACTIONS), and services starting together racing to create the same topics.
 */
const expected = [/concurrent operation on the same transaction/i, /^Topic creation errors$/];

/**
 * Warnings about choices made on purpose: idempotent producers retry a bounded number of times,
 * so that a send to an unreachable broker fails (a webhook is answered 503) instead of hanging.
 */
const chosen = [/^Limiting retries for the idempotent producer/];

/** The pino level for a kafkajs log entry: expected, retried conditions and chosen settings go to debug. */
export function pinoLevelOf(level: logLevel, entry: { message: string; error?: unknown }): PinoLevel {
  const causes = [entry.message, typeof entry.error === 'string' ? entry.error : ''];
  if (level === logLevel.ERROR && expected.some((pattern) => causes.some((text) => pattern.test(text)))) {
    return 'debug';
  }
  if (level === logLevel.WARN && chosen.some((pattern) => pattern.test(entry.message))) return 'debug';
  return levels[level] ?? 'info';
}

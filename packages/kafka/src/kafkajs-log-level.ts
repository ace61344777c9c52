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
 * One request's answer that kafkajs meets with a metadata refresh and a retry: a topic just created
 * has no leader yet, or a leader moved; on a broker's first start its group and transaction
 * coordinators are still loading. Only the per-request line is demoted; a call that still fails after
 * its retries is logged by whoever made it.
 */
const retriedAnswers = [
  /^This server does not host this topic-partition$/,
  /^This server is not the leader for that topic-partition$/,
  /^There is no leader for this topic-partition/,
  /^The coordinator is loading and hence can't process requests/,
  /^The group coordinator is not available$/,
];

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
  if (
    level === logLevel.ERROR &&
    entry.message.startsWith('Response ') &&
    typeof entry.error === 'string' &&
    retriedAnswers.some((pattern) => pattern.test(entry.error as string))
  ) {
    return 'debug';
  }
  if (level === logLevel.WARN && chosen.some((pattern) => pattern.test(entry.message))) return 'debug';
  return levels[level] ?? 'info';
}

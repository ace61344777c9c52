import { AppError } from '@cdp/contracts';

/**
 * What shows a raw partition's log went back: where it ends now, a record read below the commit, or
 * another first record than the one the decider read there.
 */
export type LogSeen = { logEnd: bigint } | { readAt: bigint } | { otherFirst: true };

/**
 * Refuses a raw partition whose log went back before where the decider committed it: the topic
 * was deleted and made again, or Kafka lost its data. Offsets start over there; decided against
 * states stored from the old log (each guarded by its old offset), records would give events
 * again and again, or replay old decisions, instead of the one event each change is owed.
 */
export function rawLogBehind(
  where: { topic: string; partition: number },
  committed: bigint | null,
  seen: LogSeen,
): AppError | null {
  if (committed === null) return null;
  const behind =
    'logEnd' in seen ? seen.logEnd < committed : 'readAt' in seen ? seen.readAt < committed : true;
  if (!behind) return null;
  const found =
    'logEnd' in seen
      ? `ends at ${seen.logEnd}`
      : 'readAt' in seen
        ? `gave a record at ${seen.readAt}`
        : 'starts with another record than the one the decider read first there';
  return new AppError(
    'ERR_INGEST_RAW_LOG_BEHIND',
    `${where.topic}/${where.partition} ${found}, but the decider committed it up to ${committed}: ` +
      'the topic was deleted and made again, or Kafka lost its data, and its records would be decided ' +
      "against states of records it no longer holds. Restore Kafka's data whole (not an older backup), or start on a fresh store " +
      '(README, Known limits)',
    false,
  );
}

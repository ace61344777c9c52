import type { Kafka } from 'kafkajs';
import type { Db } from 'mongodb';
import { AppError } from '@cdp/contracts';
import { collectionsFor, progressCollection } from '@cdp/read-models';
import { keptLogRefusals } from './kept-log-refusals';
import { captureTargets } from './replay-progress';

/** A partition whose log ends before events the read models applied from it. */
export interface LogBehind {
  topic: string;
  partition: number;
  appliedOffset: number;
  /** The offset the next event would take. */
  logEnd: number;
}

/** Partitions whose log has fewer events than the progress documents say were applied. */
export function logsBehindProgress(
  progress: ReadonlyArray<{ topic: string; partition: number; appliedOffset: number }>,
  logEnds: ReadonlyMap<string, number>,
): LogBehind[] {
  return progress.flatMap(({ topic, partition, appliedOffset }) => {
    const logEnd = logEnds.get(`${topic}/${partition}`);
    return logEnd !== undefined && appliedOffset >= logEnd
      ? [{ topic, partition, appliedOffset, logEnd }]
      : [];
  });
}

/**
 * Refuses to project a generation whose topics' logs end before what it applied: the topic was
 * deleted and made again, or Kafka lost its data. Offsets start over there, and every write being
 * guarded by its event's offset, the projector would take each new event for one applied and
 * drop it, the read models frozen while every health check passes. The refusal is kept (see
 * `keptLogRefusals`), as is one the running projector saw, so a log that grows past the progress
 * again stays refused.
 */
export async function refuseLogsBehindProgress(
  kafka: Pick<Kafka, 'admin'>,
  db: Db,
  suffix: string,
  topics: readonly string[],
): Promise<void> {
  const kept = keptLogRefusals(db, suffix);
  const refused = await kept.list();
  if (refused.length > 0)
    throw new AppError(
      'ERR_PROJECTOR_LOG_BEHIND',
      `${refused.map((r) => `${r._id}: ${r.reason}`).join('; ')} (kept in ${collectionsFor(suffix).logRefusals}: ` +
        "once Kafka's data is whole again, delete the partition's document there, or rebuild with " +
        'pnpm replay --restart; README, Known limits)',
      false,
    );
  const progress = await progressCollection(db, suffix).find({}).toArray();
  if (progress.length === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  const targets = await captureTargets(admin, topics).finally(() => admin.disconnect());
  const behind = logsBehindProgress(
    progress,
    new Map(targets.map((t) => [`${t.topic}/${t.partition}`, t.end])),
  );
  if (behind.length === 0) return;
  const reasonOf = (b: LogBehind) => `ends at ${b.logEnd}, ${b.appliedOffset} applied`;
  for (const b of behind) await kept.keep(`${b.topic}/${b.partition}`, reasonOf(b));
  throw new AppError(
    'ERR_PROJECTOR_LOG_BEHIND',
    `logs end before events the read models applied (${behind
      .map((b) => `${b.topic}/${b.partition} ${reasonOf(b)}`)
      .join('; ')}): the topic was deleted and made again, or Kafka lost its data, and the events ` +
      "after would be taken for ones applied. Restore Kafka's data whole (not an older backup), or start on a fresh store (README, Known limits)",
    false,
  );
}

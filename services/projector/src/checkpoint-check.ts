import type { Admin } from 'kafkajs';
import type { Db } from 'mongodb';
import { progressCollection } from '@cdp/read-models';

/** A partition whose committed offset says events were consumed that the read models never applied. */
export interface CheckpointAhead {
  topic: string;
  partition: number;
  /** The next offset the group would read. */
  committedOffset: number;
  /** The last offset applied, per the progress documents; -1 for none. */
  appliedOffset: number;
}

/**
 * The invariant behind "offsets are committed only over applied events": a committed offset C
 * means events up to C - 1 are applied. The projector writes progress before it commits (but for
 * batches of only transaction markers, which kafkajs commits itself, moments before), so reading
 * the offsets first and the progress second shows a healthy partition as ahead at most that long.
 */
export function checkpointsAhead(
  committed: ReadonlyArray<{ topic: string; partition: number; offset: number }>,
  appliedOffsets: ReadonlyMap<string, number>,
): CheckpointAhead[] {
  return committed.flatMap(({ topic, partition, offset }) => {
    const appliedOffset = appliedOffsets.get(`${topic}/${partition}`) ?? -1;
    // -1: nothing committed yet.
    return offset >= 0 && offset - 1 > appliedOffset
      ? [{ topic, partition, committedOffset: offset, appliedOffset }]
      : [];
  });
}

/**
 * A generation's group offsets (-1 where it has none), read first, and its applied offsets by
 * partition id, read second.
 */
export async function committedAndApplied(
  deps: { admin: Admin; db: Db },
  groupId: string,
  suffix: string,
  topics: string[],
) {
  const committed = (await deps.admin.fetchOffsets({ groupId, topics })).flatMap(({ topic, partitions }) =>
    partitions.map((p) => ({ topic, partition: p.partition, offset: Number(p.offset) })),
  );
  const progress = await progressCollection(deps.db, suffix)
    .find({}, { projection: { appliedOffset: 1 } })
    .toArray();
  return { committed, applied: new Map(progress.map((doc) => [doc._id, doc.appliedOffset])) };
}

/** Checks a generation's consumer group against its progress documents (see checkpointsAhead). */
export async function findCheckpointsAhead(
  deps: { admin: Admin; db: Db },
  groupId: string,
  suffix: string,
  topics: string[],
): Promise<CheckpointAhead[]> {
  const { committed, applied } = await committedAndApplied(deps, groupId, suffix, topics);
  return checkpointsAhead(committed, applied);
}

import type { Admin } from 'kafkajs';
import type { Db } from 'mongodb';
import type { Logger } from '@cdp/logging';
import { committedAndApplied } from './checkpoint-check';

export interface OffsetToRestore {
  topic: string;
  partition: number;
  /** The next offset to read: after the last applied event. */
  offset: number;
}

/**
 * Partitions a generation's group has no offset for though its progress shows events applied
 * there: the group's offsets expired (empty past the broker's `offsets.retention.minutes`) or were
 * deleted. The consumer would read them from offset 0 again; they are read on after the last
 * applied event instead (every event up to it is written before its progress is).
 */
export function offsetsToRestore(
  committed: ReadonlyArray<{ topic: string; partition: number; offset: number }>,
  appliedOffsets: ReadonlyMap<string, number>,
): OffsetToRestore[] {
  return committed.flatMap(({ topic, partition, offset }) => {
    const applied = appliedOffsets.get(`${topic}/${partition}`) ?? -1;
    return offset < 0 && applied >= 0 ? [{ topic, partition, offset: applied + 1 }] : [];
  });
}

/**
 * Commits, for a generation's group about to start, the offsets its progress gives where the group
 * has none (see offsetsToRestore). A group with members still in it (a killed projector's, until its
 * session times out) cannot be set from outside: it is left to read those partitions from offset 0,
 * which only repeats writes the read models already hold.
 */
export async function restoreExpiredOffsets(
  deps: { admin: Admin; db: Db; log: Pick<Logger, 'warn'> },
  groupId: string,
  suffix: string,
  topics: string[],
): Promise<OffsetToRestore[]> {
  const { committed, applied } = await committedAndApplied(deps, groupId, suffix, topics);
  const restore = offsetsToRestore(committed, applied);
  if (restore.length === 0) return [];
  try {
    for (const topic of new Set(restore.map((r) => r.topic)))
      await deps.admin.setOffsets({
        groupId,
        topic,
        partitions: restore
          .filter((r) => r.topic === topic)
          .map(({ partition, offset }) => ({ partition, offset: String(offset) })),
      });
  } catch (error) {
    deps.log.warn(
      { err: error, groupId, partitions: restore },
      'the group has no offsets where events were applied, and they could not be set: those partitions are read from offset 0 (their events are applied already, so nothing changes)',
    );
    return [];
  }
  deps.log.warn(
    { groupId, partitions: restore },
    "the group had no offsets where events were applied (expired: the projector stopped longer than the broker's offsets.retention.minutes): read on from its progress",
  );
  return restore;
}

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
 * Where a generation's group that lost its offsets reads on: after the last applied event of each
 * partition its progress shows events applied from (every event up to it is written before its
 * progress is). Only when the group has no offset at all: the broker expires an empty group's
 * offsets all together (`offsets.retention.minutes`), while a partition alone without one is a new
 * partition, one whose first commit a crash beat, or a topic made again, which must be read from
 * its start (the last is refused by its log end only once it is shorter than the progress).
 */
export function offsetsToRestore(
  committed: ReadonlyArray<{ topic: string; partition: number; offset: number }>,
  appliedOffsets: ReadonlyMap<string, number>,
): OffsetToRestore[] {
  if (committed.some(({ offset }) => offset >= 0)) return [];
  return committed.flatMap(({ topic, partition }) => {
    const applied = appliedOffsets.get(`${topic}/${partition}`) ?? -1;
    return applied >= 0 ? [{ topic, partition, offset: applied + 1 }] : [];
  });
}

/**
 * For a generation's group about to start: where its consumer reads on (see offsetsToRestore),
 * sought by the projector's own consumer once it runs. Not set from outside beforehand: kafkajs's
 * setOffsets joins the group with a consumer of its own, which outlives a timeout and would share
 * the partitions with the projector's.
 */
export async function expiredOffsetsToRestore(
  deps: { admin: Admin; db: Db; log: Pick<Logger, 'warn'> },
  groupId: string,
  suffix: string,
  topics: string[],
): Promise<OffsetToRestore[]> {
  const { committed, applied } = await committedAndApplied(deps, groupId, suffix, topics);
  const restore = offsetsToRestore(committed, applied);
  if (restore.length > 0)
    deps.log.warn(
      { groupId, partitions: restore },
      "the group has no offsets though events were applied (expired: the projector stopped longer than the broker's offsets.retention.minutes): read on from its progress",
    );
  return restore;
}

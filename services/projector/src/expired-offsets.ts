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

/** How long setting the offsets may take before the projector starts without them. */
const SET_OFFSETS_TIMEOUT_MS = 30_000;

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
 * Commits, for a generation's group about to start, the offsets its progress gives when the group
 * has none (see offsetsToRestore). A group with members still in it (a killed projector's, until its
 * session times out) cannot be set from outside: a topic not set is read from offset 0, which only
 * repeats writes the read models already hold.
 */
export async function restoreExpiredOffsets(
  deps: { admin: Admin; db: Db; log: Pick<Logger, 'warn'> },
  groupId: string,
  suffix: string,
  topics: string[],
): Promise<OffsetToRestore[]> {
  const { committed, applied } = await committedAndApplied(deps, groupId, suffix, topics);
  const restore = offsetsToRestore(committed, applied);
  const restored: OffsetToRestore[] = [];
  for (const topic of new Set(restore.map((r) => r.topic))) {
    const partitions = restore.filter((r) => r.topic === topic);
    try {
      await withTimeout(
        deps.admin.setOffsets({
          groupId,
          topic,
          partitions: partitions.map(({ partition, offset }) => ({ partition, offset: String(offset) })),
        }),
        SET_OFFSETS_TIMEOUT_MS,
      );
      restored.push(...partitions);
    } catch (error) {
      deps.log.warn(
        { err: error, groupId, partitions },
        'the group has no offsets though events were applied, and they could not be set: the topic is read from offset 0 (its events are applied already, so nothing changes)',
      );
    }
  }
  if (restored.length > 0)
    deps.log.warn(
      { groupId, partitions: restored },
      "the group had no offsets though events were applied (expired: the projector stopped longer than the broker's offsets.retention.minutes): read on from its progress",
    );
  return restored;
}

/** kafkajs's setOffsets waits on a consumer of its own, which may never answer. */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

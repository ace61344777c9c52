import type { Collection, Db } from 'mongodb';
import { isDuplicateKey } from '@cdp/mongo';

/** How far the decider has committed each raw partition, as the store last heard. */
export interface RawLogMarks {
  /**
   * The decider committed `partition` of `topic` up to `offset` (the next to read). Written at most
   * every `everyMs` per partition; never throws, a mark being a check's aid, not worth a retry.
   */
  passed(topic: string, partition: number, offset: bigint): Promise<void>;
  /** The last offset recorded as committed in `partition` of `topic`, or null when none was. */
  through(topic: string, partition: number): Promise<bigint | null>;
}

interface MarkDoc {
  /** `topic/partition`. */
  _id: string;
  through: number;
}

export const RAW_LOG_MARKS_COLLECTION = 'ingest_raw_marks';

/**
 * A mark a few seconds old still lies past the end of a log made again (it starts at offset 0):
 * throttled, the marks cost the decider one store write per partition every few seconds instead
 * of one per transaction.
 */
export const DEFAULT_MARK_EVERY_MS = 5_000;

export function createRawLogMarks(
  db: Db,
  opts: { everyMs?: number; now?: () => number; onError?: (error: unknown) => void } = {},
): RawLogMarks {
  const marks: Collection<MarkDoc> = db.collection(RAW_LOG_MARKS_COLLECTION);
  const everyMs = opts.everyMs ?? DEFAULT_MARK_EVERY_MS;
  const now = opts.now ?? Date.now;
  const writtenAt = new Map<string, number>();
  return {
    async passed(topic, partition, offset) {
      const _id = `${topic}/${partition}`;
      const last = writtenAt.get(_id);
      if (last !== undefined && now() - last < everyMs) return;
      writtenAt.set(_id, now());
      const through = Number(offset);
      try {
        // Only ever raised: an instance the group dropped may still commit its last transaction.
        await marks.updateOne({ _id, through: { $lt: through } }, { $set: { through } }, { upsert: true });
      } catch (error) {
        // The upsert met a higher mark.
        if (isDuplicateKey(error)) return;
        writtenAt.delete(_id);
        opts.onError?.(error);
      }
    },
    async through(topic, partition) {
      const mark = await marks.findOne({ _id: `${topic}/${partition}` });
      return mark ? BigInt(mark.through) : null;
    },
  };
}

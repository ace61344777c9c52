import type { Collection, Db } from 'mongodb';
import { isDuplicateKey } from '@cdp/mongo';

/** How far the decider has committed each raw partition, as the store last heard. */
export interface RawLogMarks {
  /**
   * The decider committed `partition` of `topic` up to `offset` (the next to read). Written at most
   * every `everyMs` per partition; never throws, a mark being an aid, not worth a retry.
   */
  passed(topic: string, partition: number, offset: bigint): Promise<void>;
  /** Writes the commits `passed` held back: a stop leaves the marks exact. Never throws. */
  flush(): Promise<void>;
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
  /** Commits passed and not written yet, per `topic/partition`. */
  const unwritten = new Map<string, number>();

  async function write(_id: string): Promise<void> {
    const through = unwritten.get(_id);
    if (through === undefined) return;
    unwritten.delete(_id);
    writtenAt.set(_id, now());
    try {
      // Only ever raised: an instance the group dropped may still commit its last transaction.
      await marks.updateOne({ _id, through: { $lt: through } }, { $set: { through } }, { upsert: true });
    } catch (error) {
      // The upsert met a higher mark.
      if (isDuplicateKey(error)) return;
      writtenAt.delete(_id);
      if (!unwritten.has(_id)) unwritten.set(_id, through);
      opts.onError?.(error);
    }
  }

  return {
    async passed(topic, partition, offset) {
      const _id = `${topic}/${partition}`;
      unwritten.set(_id, Number(offset));
      const last = writtenAt.get(_id);
      if (last === undefined || now() - last >= everyMs) await write(_id);
    },
    async flush() {
      await Promise.all([...unwritten.keys()].map(write));
    },
    async through(topic, partition) {
      const mark = await marks.findOne({ _id: `${topic}/${partition}` });
      return mark ? BigInt(mark.through) : null;
    },
  };
}

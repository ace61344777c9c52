import type { Collection, Db } from 'mongodb';
import { isDuplicateKey } from '@cdp/mongo';

/** What the store knows of a raw partition the decider read. */
export interface RawLogMark {
  /** How far the decider committed it (the next offset to read), or null before its first mark. */
  through: bigint | null;
  /** The fingerprint of its first record (see `firstRecordPrint`), or null when not seen. */
  first: string | null;
  /** Why the decider refused it, kept until an operator clears it (README), or null. */
  refused: string | null;
}

/** How far the decider has committed each raw partition, and which log it was, as the store last heard. */
export interface RawLogMarks {
  /**
   * The decider committed `partition` of `topic` up to `offset` (the next to read). Written at most
   * every `everyMs` per partition; never throws, a mark being an aid, not worth a retry.
   */
  passed(topic: string, partition: number, offset: bigint): Promise<void>;
  /** Writes the commits `passed` held back: a stop leaves the marks exact. Never throws. */
  flush(): Promise<void>;
  /** Records the fingerprint of the partition's first record, unless one is recorded with a commit. */
  firstSeen(topic: string, partition: number, print: string): Promise<void>;
  /** Keeps why the partition was refused: it stays refused though its log grows back past the mark. */
  refuse(topic: string, partition: number, reason: string): Promise<void>;
  read(topic: string, partition: number): Promise<RawLogMark | null>;
}

interface MarkDoc {
  /** `topic/partition`. */
  _id: string;
  through?: number;
  first?: string;
  refused?: string;
}

export const RAW_LOG_MARKS_COLLECTION = 'ingest_raw_marks';

/**
 * A mark a few seconds old still lies past the end of a log made again (it starts at offset 0):
 * throttled, the marks cost the decider one store write per partition every few seconds instead
 * of one per transaction.
 */
export const DEFAULT_MARK_EVERY_MS = 5_000;

const idOf = (topic: string, partition: number) => `${topic}/${partition}`;

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

  /** Raises the mark, never lowers it: an instance the group dropped may still commit its last transaction. */
  async function raise(_id: string, through: number): Promise<void> {
    const lower = { _id, $or: [{ through: { $lt: through } }, { through: { $exists: false } }] };
    try {
      await marks.updateOne(lower, { $set: { through } }, { upsert: true });
    } catch (error) {
      // Another write made the document first (a higher mark, or its first record's print).
      if (!isDuplicateKey(error)) throw error;
      await marks.updateOne(lower, { $set: { through } });
    }
  }

  async function write(_id: string): Promise<void> {
    const through = unwritten.get(_id);
    if (through === undefined) return;
    unwritten.delete(_id);
    writtenAt.set(_id, now());
    try {
      await raise(_id, through);
    } catch (error) {
      writtenAt.delete(_id);
      if (!unwritten.has(_id)) unwritten.set(_id, through);
      opts.onError?.(error);
    }
  }

  return {
    async passed(topic, partition, offset) {
      const _id = idOf(topic, partition);
      unwritten.set(_id, Number(offset));
      const last = writtenAt.get(_id);
      if (last === undefined || now() - last >= everyMs) await write(_id);
    },
    async flush() {
      await Promise.all([...unwritten.keys()].map(write));
    },
    async firstSeen(topic, partition, print) {
      const _id = idOf(topic, partition);
      // Before a commit, a print may be of a log made again since: replaced.
      const unsure = { _id, $or: [{ first: { $exists: false } }, { through: { $exists: false } }] };
      try {
        await marks.updateOne(unsure, { $set: { first: print } }, { upsert: true });
      } catch (error) {
        // Recorded already with a commit.
        if (!isDuplicateKey(error)) throw error;
      }
    },
    async refuse(topic, partition, reason) {
      await marks.updateOne({ _id: idOf(topic, partition) }, { $set: { refused: reason } }, { upsert: true });
    },
    async read(topic, partition) {
      const mark = await marks.findOne({ _id: idOf(topic, partition) });
      if (!mark) return null;
      return {
        through: mark.through === undefined ? null : BigInt(mark.through),
        first: mark.first ?? null,
        refused: mark.refused ?? null,
      };
    },
  };
}

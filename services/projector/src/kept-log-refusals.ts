import type { Db } from 'mongodb';
import { isDuplicateKey } from '@cdp/mongo';
import { collectionsFor } from '@cdp/read-models';

interface RefusalDoc {
  /** `topic/partition`. */
  _id: string;
  reason: string;
  at: string;
}

/**
 * A generation's partitions whose log was seen going back before what the read models applied,
 * kept until cleared by hand (README): a log made again, or restored from an older backup, may grow
 * past the progress again, and its events would then be taken for ones applied.
 */
export function keptLogRefusals(db: Db, suffix: string) {
  const refusals = db.collection<RefusalDoc>(collectionsFor(suffix).logRefusals);
  return {
    /** Keeps the first reason given for a partition. */
    async keep(partitionId: string, reason: string): Promise<void> {
      try {
        await refusals.updateOne(
          { _id: partitionId },
          { $setOnInsert: { reason, at: new Date().toISOString() } },
          { upsert: true },
        );
      } catch (error) {
        // Kept already (the writer and a standby both see it).
        if (!isDuplicateKey(error)) throw error;
      }
    },
    list: (): Promise<RefusalDoc[]> => refusals.find({}).toArray(),
  };
}

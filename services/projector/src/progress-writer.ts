import type { Db } from 'mongodb';
import { progressCollection } from '@cdp/read-models';

/** One document per partition, written by the projector that owns the partition. */
export function createProgressWriter(db: Db) {
  const progress = progressCollection(db);
  return async (update: {
    topic: string;
    partition: number;
    appliedOffset: number;
    highWatermark: number;
    lastRecordedAt: string | null;
  }): Promise<void> => {
    const _id = `${update.topic}/${update.partition}`;
    await progress.updateOne(
      { _id },
      { $set: { ...update, updatedAt: new Date().toISOString() } },
      { upsert: true },
    );
  };
}

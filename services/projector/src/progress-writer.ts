import type { Db } from 'mongodb';
import { progressCollection } from '@cdp/read-models';
import type { ProgressUpdate } from './projector';

/** One document per partition, written by the projector that owns the partition. */
export function createProgressWriter(db: Db, suffix = '') {
  const progress = progressCollection(db, suffix);
  return async (update: ProgressUpdate): Promise<void> => {
    const _id = `${update.topic}/${update.partition}`;
    const { lastRecordedAt, ...rest } = update;
    await progress.updateOne(
      { _id },
      {
        $set: {
          ...rest,
          ...(lastRecordedAt !== undefined && { lastRecordedAt }),
          updatedAt: new Date().toISOString(),
        },
      },
      { upsert: true },
    );
  };
}

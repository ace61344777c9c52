import type { Db } from 'mongodb';
import { progressCollection } from './projection-progress';

/**
 * How this release derives read models from events, as a number. Raised by a change after which
 * documents built before it differ from what a rebuild gives now (a field added or computed
 * otherwise, a search form normalised otherwise): a generation records the format that built it,
 * and one built by another is served as it is but flagged until `pnpm replay` rebuilds it. The
 * projector's read-model-format int test pins what a fixed history derives, and fails until this
 * is raised with it.
 */
export const READ_MODEL_FORMAT = 3;

interface FormatDoc {
  _id: string;
  format: number;
  recordedAt: string;
}

const formats = (db: Db) => db.collection<FormatDoc>('read_model_formats');

/**
 * Records this release's format for a generation it builds from the start (nothing applied yet).
 * One already under way keeps what it has (none, for one begun before formats were recorded).
 */
export async function recordFormatIfNew(db: Db, suffix: string): Promise<void> {
  if ((await progressCollection(db, suffix).countDocuments({}, { limit: 1 })) > 0) return;
  await formats(db).updateOne(
    { _id: suffix },
    { $set: { format: READ_MODEL_FORMAT, recordedAt: new Date().toISOString() } },
    { upsert: true },
  );
}

/** The format that built a generation; null for one begun before formats were recorded. */
export async function formatOf(db: Db, suffix: string): Promise<number | null> {
  return (await formats(db).findOne({ _id: suffix }))?.format ?? null;
}

export async function forgetFormat(db: Db, suffix: string): Promise<void> {
  await formats(db).deleteOne({ _id: suffix });
}

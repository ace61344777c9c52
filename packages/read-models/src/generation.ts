import type { Db } from 'mongodb';

/**
 * Read models come in generations: a rebuild writes a new set of suffixed collections while the
 * live one keeps serving, then this pointer switches and readers and the projector follow it.
 */
interface GenerationDoc {
  _id: 'current' | 'rebuild';
  suffix: string;
  since: string;
}

const aliases = (db: Db) => db.collection<GenerationDoc>('read_model_generations');

export async function currentGeneration(db: Db): Promise<string> {
  return (await aliases(db).findOne({ _id: 'current' }))?.suffix ?? '';
}

export async function switchGeneration(db: Db, suffix: string): Promise<void> {
  await aliases(db).updateOne(
    { _id: 'current' },
    { $set: { suffix, since: new Date().toISOString() } },
    { upsert: true },
  );
  await aliases(db).deleteOne({ _id: 'rebuild', suffix });
}

/** The rebuild in progress, if any, so a second `pnpm replay` resumes it instead of starting over. */
export async function pendingRebuild(db: Db): Promise<string | null> {
  return (await aliases(db).findOne({ _id: 'rebuild' }))?.suffix ?? null;
}

export async function startRebuild(db: Db, suffix: string): Promise<void> {
  await aliases(db).updateOne(
    { _id: 'rebuild' },
    { $set: { suffix, since: new Date().toISOString() } },
    { upsert: true },
  );
}

export async function forgetRebuild(db: Db): Promise<void> {
  await aliases(db).deleteOne({ _id: 'rebuild' });
}

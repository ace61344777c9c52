import type { Db } from 'mongodb';

/**
 * Read models come in generations: a rebuild writes a new set of suffixed collections while the
 * live one keeps serving, then this pointer switches and readers and the projector follow it.
 */
interface GenerationDoc {
  _id: 'current' | 'rebuild';
  suffix: string;
  since: string;
  /** A rebuild started at this time (`pnpm replay --from`): a partial generation, never to be served. */
  from?: string | null;
}

export interface PendingRebuild {
  suffix: string;
  /** null: from offset 0; undefined: unknown (started by a version that did not record it). */
  from: string | null | undefined;
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

/**
 * The rebuild in progress, if any, so a second `pnpm replay` resumes it instead of starting over.
 * One that is the current generation was switched by a run that stopped before forgetting it.
 */
export async function pendingRebuildOf(db: Db): Promise<PendingRebuild | null> {
  const [pending, current] = await Promise.all([
    aliases(db).findOne({ _id: 'rebuild' }),
    currentGeneration(db),
  ]);
  return pending && pending.suffix !== current ? { suffix: pending.suffix, from: pending.from } : null;
}

export const pendingRebuild = async (db: Db): Promise<string | null> =>
  (await pendingRebuildOf(db))?.suffix ?? null;

/** Records a rebuild as pending; `from` is recorded when given (a resume leaves it as it was). */
export async function startRebuild(db: Db, suffix: string, from?: string | null): Promise<void> {
  await aliases(db).updateOne(
    { _id: 'rebuild' },
    { $set: { suffix, since: new Date().toISOString(), ...(from !== undefined && { from }) } },
    { upsert: true },
  );
}

export async function forgetRebuild(db: Db): Promise<void> {
  await aliases(db).deleteOne({ _id: 'rebuild' });
}

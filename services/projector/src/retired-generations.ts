import type { Admin } from 'kafkajs';
import type { Db } from 'mongodb';
import { collectionsFor, currentGeneration, forgetFormat, pendingRebuild } from '@cdp/read-models';
import { generationGroupId } from './generation-projector';

const bases = Object.values<string>(collectionsFor(''));
const SUFFIX = /^(_g\d+)?$/;

/** Suffixes of the read-model generations in the store that are neither served nor being rebuilt. */
export async function retiredGenerations(db: Db): Promise<string[]> {
  const [names, current, pending] = await Promise.all([
    db.listCollections({}, { nameOnly: true }).toArray(),
    currentGeneration(db),
    pendingRebuild(db),
  ]);
  const suffixes = new Set<string>();
  for (const { name } of names)
    for (const base of bases)
      if (name.startsWith(base) && SUFFIX.test(name.slice(base.length)))
        suffixes.add(name.slice(base.length));
  return [...suffixes].filter((s) => s !== current && s !== pending).sort();
}

/**
 * Drops the generations a switch has retired, with their consumer groups: each rebuild would
 * otherwise leave a whole copy of the read models behind. Run when a rebuild starts, long after
 * the read API and the projector (which poll the pointer every few seconds) left them.
 */
export async function dropRetiredGenerations(deps: {
  db: Db;
  admin: Admin;
  topicPrefix: string;
}): Promise<string[]> {
  const retired = await retiredGenerations(deps.db);
  for (const suffix of retired) await dropGeneration(deps, suffix);
  return retired;
}

/** A generation's collections, consumer group and format, gone (what is already gone is fine). */
export async function dropGeneration(
  deps: { db: Db; admin: Admin; topicPrefix: string },
  suffix: string,
): Promise<void> {
  for (const name of Object.values<string>(collectionsFor(suffix)))
    await deps.db
      .collection(name)
      .drop()
      .catch(() => false);
  await deps.admin.deleteGroups([generationGroupId(deps.topicPrefix, suffix)]).catch(() => undefined);
  await forgetFormat(deps.db, suffix);
}

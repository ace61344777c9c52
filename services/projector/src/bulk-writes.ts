import type { Filter } from 'mongodb';
import { isDuplicateKey } from '@cdp/mongo';
import type { Position } from '@cdp/read-models';

type Guarded = { _id: string; position: Position | null };

/** Matches a document not yet written from this position or later (or not written by this stream at all). */
export const before = <T extends Guarded>(id: string, position: Position): Filter<T> =>
  ({ _id: id, $or: [{ position: null }, { 'position.offset': { $lt: position.offset } }] }) as Filter<T>;

/** Inserts before the rest, otherwise in order: one insert command and one update command, not one per switch. */
export const insertsFirst = <T extends { op: object }>(writes: T[]): T[] => [
  ...writes.filter((w) => 'insertOne' in w.op),
  ...writes.filter((w) => !('insertOne' in w.op)),
];

/** Runs a write; meeting an existing _id (a newer document, already applied) is not an error. */
export const ignoreNewer = async (write: () => Promise<unknown>) => {
  try {
    await write();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
};

import type { AnyBulkWriteOperation, Collection, Document, Filter } from 'mongodb';
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

/**
 * Writes in one round trip (FerretDB pays per command, not per document). Returns the operations
 * that met an existing _id: for guarded upserts, a newer document (already applied). The driver
 * sends a new command at every change of operation kind, so callers put inserts first (see
 * `insertsFirst`).
 */
export async function bulk<T extends Document>(
  collection: Collection<T>,
  ops: AnyBulkWriteOperation<T>[],
): Promise<Set<number>> {
  const duplicates = new Set<number>();
  if (ops.length === 0) return duplicates;
  try {
    await collection.bulkWrite(ops, { ordered: true });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    // FerretDB stops at the first error and misreports its index: every write again, alone
    // (all are idempotent).
    for (const [index, op] of ops.entries()) {
      try {
        await collection.bulkWrite([op]);
      } catch (single) {
        if (!isDuplicateKey(single)) throw single;
        duplicates.add(index);
      }
    }
  }
  return duplicates;
}

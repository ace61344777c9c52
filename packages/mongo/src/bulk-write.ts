import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import { isDuplicateKey } from './duplicate-key';

/**
 * Writes in one round trip (FerretDB pays per command, not per document). Returns the operations
 * that met an existing _id: for guarded upserts, a newer document (already applied). The driver
 * sends a new command at every change of operation kind, so callers put inserts first.
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

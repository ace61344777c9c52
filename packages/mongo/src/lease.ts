import type { Collection, Db } from 'mongodb';
import { isDuplicateKey } from './duplicate-key';

export interface LeaseDoc {
  _id: string;
  holder: string;
  expiresAt: number;
}

/**
 * Who may do one thing (poll a shop, write a generation): one document per key, so that of several
 * processes exactly one does it. Expiry times come from each process's clock, so the clocks must
 * agree to well within the ttl.
 */
export interface Lease {
  readonly holder: string;
  /** How long a taken lease holds without renewal. */
  readonly ttlMs: number;
  /**
   * Takes the lease, or extends it when this process holds it already: the new expiry (epoch ms),
   * or null when another process holds it. Rejects when the store cannot be reached.
   */
  acquire(key: string): Promise<number | null>;
  /** Lets another process take over at once instead of after the ttl. */
  release(key: string): Promise<void>;
  current(key: string): Promise<LeaseDoc | null>;
}

/**
 * FerretDB's updates are query-then-write, not atomic, so two processes can both take a free lease
 * at the same instant. That lasts one renewal: a renewal must match `holder: me`, which only the
 * last writer still does; the other's upsert then hits the `_id` and fails with a duplicate key.
 */
export function createLease(deps: {
  db: Db;
  collection: string;
  holder: string;
  ttlMs: number;
  now: () => number;
}): Lease {
  const leases: Collection<LeaseDoc> = deps.db.collection(deps.collection);
  const me = deps.holder;
  return {
    holder: me,
    ttlMs: deps.ttlMs,
    async acquire(key) {
      const now = deps.now();
      const expiresAt = now + deps.ttlMs;
      try {
        // No projection: FerretDB does not support it on findAndModify.
        const doc = await leases.findOneAndUpdate(
          { _id: key, $or: [{ holder: me }, { expiresAt: { $lt: now } }] },
          { $set: { holder: me, expiresAt } },
          { upsert: true, returnDocument: 'after' },
        );
        return doc?.holder === me ? expiresAt : null;
      } catch (error) {
        // The filter missed (someone else holds an unexpired lease), so the upsert hit the `_id`.
        if (isDuplicateKey(error)) return null;
        throw error;
      }
    },
    async release(key) {
      await leases.updateOne({ _id: key, holder: me }, { $set: { expiresAt: 0 } });
    },
    current: (key) => leases.findOne({ _id: key }),
  };
}

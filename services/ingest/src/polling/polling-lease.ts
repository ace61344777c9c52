import type { Collection, Db } from 'mongodb';
import { isDuplicateKey } from '@cdp/mongo';

interface LeaseDoc {
  _id: string;
  holder: string;
  expiresAt: number;
}

export type PollingBy = 'this-instance' | 'another-instance' | 'nobody';

/**
 * Who may poll a tenant's shop: one document per tenant in `polling_leases`, so that of several
 * ingest processes exactly one spends the shop's Haravan call budget. Expiry times come from each
 * process's clock, so the clocks must agree to well within the ttl.
 */
export interface PollingLease {
  readonly holder: string;
  /**
   * Takes the lease, or extends it when this instance holds it already: the new expiry (epoch ms),
   * or null when another instance holds it. Rejects when the store cannot be reached.
   */
  acquire(tenantId: string): Promise<number | null>;
  /** Lets another instance take over at once instead of after the ttl. */
  release(tenantId: string): Promise<void>;
  pollingBy(tenantId: string): Promise<PollingBy>;
}

/**
 * FerretDB's updates are query-then-write, not atomic, so two instances can both take a free lease
 * at the same instant. That lasts one renewal: a renewal must match `holder: me`, which only the
 * last writer still does; the other's upsert then hits the `_id` and fails with a duplicate key.
 */
export function createPollingLease(deps: {
  db: Db;
  holder: string;
  ttlMs: number;
  now: () => number;
}): PollingLease {
  const leases: Collection<LeaseDoc> = deps.db.collection('polling_leases');
  const me = deps.holder;
  return {
    holder: me,
    async acquire(tenantId) {
      const now = deps.now();
      const expiresAt = now + deps.ttlMs;
      try {
        // No projection: FerretDB does not support it on findAndModify.
        const doc = await leases.findOneAndUpdate(
          { _id: tenantId, $or: [{ holder: me }, { expiresAt: { $lt: now } }] },
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
    async release(tenantId) {
      await leases.updateOne({ _id: tenantId, holder: me }, { $set: { expiresAt: 0 } });
    },
    async pollingBy(tenantId) {
      return pollingByOf(await leases.findOne({ _id: tenantId }), me, deps.now());
    },
  };
}

export function pollingByOf(lease: LeaseDoc | null, me: string, nowMs: number): PollingBy {
  if (!lease || lease.expiresAt < nowMs) return 'nobody';
  return lease.holder === me ? 'this-instance' : 'another-instance';
}

/**
 * Whether to go on polling after a renewal attempt (`renewed`: the new expiry, null when lost,
 * undefined when the store did not answer). Without an answer we keep polling only while the
 * lease we hold cannot lapse before the next attempt, so no one else can have taken it over.
 */
export function keepsPolling(
  renewed: number | null | undefined,
  heldUntilMs: number,
  nowMs: number,
  periodMs: number,
): boolean {
  if (renewed === undefined) return nowMs + periodMs < heldUntilMs;
  return renewed !== null;
}

import type { Db } from 'mongodb';
import { createLease, type LeaseDoc } from '@cdp/mongo';

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

/** Leases of `polling_leases`, one per tenant (see createLease). */
export function createPollingLease(deps: {
  db: Db;
  holder: string;
  ttlMs: number;
  now: () => number;
}): PollingLease {
  const lease = createLease({ ...deps, collection: 'polling_leases' });
  return {
    holder: lease.holder,
    acquire: (tenantId) => lease.acquire(tenantId),
    release: (tenantId) => lease.release(tenantId),
    async pollingBy(tenantId) {
      return pollingByOf(await lease.current(tenantId), lease.holder, deps.now());
    },
  };
}

export function pollingByOf(lease: LeaseDoc | null, me: string, nowMs: number): PollingBy {
  if (!lease || lease.expiresAt < nowMs) return 'nobody';
  return lease.holder === me ? 'this-instance' : 'another-instance';
}

/**
 * Whether to go on polling after a renewal attempt (`renewed`: the new expiry, null when lost,
 * undefined when the store could not take it). Without a renewal we keep polling only while the
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

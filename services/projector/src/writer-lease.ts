import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@cdp/logging';
import { hostname } from 'node:os';
import type { Db } from 'mongodb';
import { createLease, type Lease } from '@cdp/mongo';

/** This process's leases in `projector_leases`: `live` for the projector, `rebuild` for `pnpm replay`. */
export const projectorLease = (db: Db, ttlMs: number): Lease =>
  createLease({
    db,
    collection: 'projector_leases',
    holder: `${hostname()}:${process.pid}`,
    ttlMs,
    now: Date.now,
  });

export interface HeldLease {
  /**
   * Whether this process may still write: its last renewal leaves at least a third of the ttl. A
   * process stalled past it (a frozen VM, the store away while Kafka is not) may have been taken
   * over, and writes nothing until a renewal says it was not.
   */
  writable(): boolean;
  release(): Promise<void>;
}

/**
 * Waits until this process holds `key`, then renews it every third of the ttl. Each read-model
 * document must have one writer at a time (FerretDB's updates are query-then-write, and a buyer's
 * totals are read, then written), so a second projector waits here as a standby. `onLost` runs if
 * another process took the lease (this one stalled past the ttl): the caller must stop writing.
 * Resolves to null when `signal` aborts first, or, with `once`, when another process holds it now.
 */
export async function holdLease(
  lease: Lease,
  key: string,
  opts: { log: Logger; onLost: () => void; signal?: AbortSignal; once?: boolean },
): Promise<HeldLease | null> {
  const period = Math.max(100, Math.floor(lease.ttlMs / 3));
  let waiting = false;
  let acquired: number | null = null;
  while (!opts.signal?.aborted) {
    acquired = await lease.acquire(key).catch((error: unknown) => {
      opts.log.warn({ err: error, key }, 'lease not reachable; trying again');
      return null;
    });
    if (acquired !== null) break;
    if (opts.once) return null;
    if (!waiting) {
      waiting = true;
      const holder = await lease.current(key).catch(() => null);
      opts.log.info({ key, holder: holder?.holder }, 'another process writes these read models; standing by');
    }
    await sleep(period, undefined, { signal: opts.signal }).catch(() => undefined);
  }
  if (opts.signal?.aborted) {
    // Taken as the stop came: given back, so another process need not wait out its ttl.
    if (acquired !== null) await lease.release(key).catch(() => undefined);
    return null;
  }
  opts.log.info({ key, holder: lease.holder }, 'writer lease taken');

  let heldUntil = acquired ?? 0;
  const timer = setInterval(() => {
    lease
      .acquire(key)
      .then((renewed) => {
        if (renewed !== null) return void (heldUntil = renewed);
        clearInterval(timer);
        opts.onLost();
      })
      // The store is down: nobody can write then, and the next renewal tries again.
      .catch((error: unknown) => opts.log.warn({ err: error, key }, 'writer lease not renewed'));
  }, period);
  return {
    writable: () => Date.now() < heldUntil - period,
    async release() {
      clearInterval(timer);
      await lease.release(key).catch(() => undefined);
    },
  };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interceptCollection, waitFor } from '@cdp/testing';
import { createPollingLease } from './polling-lease';
import { startPollingHarness, testPollingConfig, type PollingHarness } from './polling-harness.test-helper';
import type { PollingManager } from './polling-manager';
import { POLLED_RESOURCES } from '@cdp/contracts';
import { sleep } from './sleep';

const TOKEN = 'sim-token-lease';
const TTL_MS = 1500;
const config = testPollingConfig({
  intervalsMs: { orders: 500, customers: 1000, products: 1000 },
  leaseTtlMs: TTL_MS,
});

let h: PollingHarness;

const connectTenant = () => h.connectTenant();
/** Another ingest instance: its own manager (and lease holder id) over the same store and raw topic. */
const startInstance = () => h.startManager(config);

const rawOf = (tenantId: string) => h.raw.filter((r) => r.tenantId === tenantId);
const orderIdsOf = (tenantId: string) =>
  new Set(
    rawOf(tenantId)
      .filter((r) => r.key.includes(':order:'))
      .map((r) => (JSON.parse(r.body.toString('utf8')) as { id: number }).id),
  );
const shopOrderIds = () => new Set(h.shop.records('orders').map((r) => r.id));

const appendedBy = async (manager: PollingManager, tenantId: string) => {
  const { resources } = await manager.status(tenantId);
  return POLLED_RESOURCES.reduce((sum, resource) => sum + resources[resource].appended, 0);
};

const pollingHere = (manager: PollingManager, tenantId: string, description: string) =>
  waitFor(async () => (await manager.status(tenantId)).running, {
    timeoutMs: 30_000,
    intervalMs: 100,
    description,
  });

beforeAll(async () => {
  h = await startPollingHarness({
    name: 'lease',
    token: TOKEN,
    seed: 11,
    orgIdBase: 310_000_000,
    generate: { customers: 20, orders: 120, products: 5 },
  });
}, 120_000);

afterAll(() => h?.stop());

describe('one poller per shop across ingest instances', { timeout: 90_000 }, () => {
  let tenantId: string;
  let first: PollingManager;
  let second: PollingManager;
  let third: PollingManager | undefined;

  it('polls a shop from one instance only while it holds the lease', async () => {
    tenantId = await connectTenant();
    first = startInstance();
    await first.addTenant(tenantId);
    await pollingHere(first, tenantId, 'the first instance to poll');
    second = startInstance();
    await second.addTenant(tenantId);

    await waitFor(async () => (await first.status(tenantId)).phase === 'incremental', {
      timeoutMs: 30_000,
      description: 'the backfill to finish',
    });
    // Several lease renewals go by; the second instance waits through all of them.
    for (let i = 0; i < 8; i += 1) {
      const [holding, waiting] = await Promise.all([first.status(tenantId), second.status(tenantId)]);
      expect(holding).toMatchObject({ running: true, pollingBy: 'this-instance' });
      expect(waiting).toMatchObject({ running: false, pollingBy: 'another-instance', requests: 0 });
      // The lag comes from the stored cursors, so every instance tells it.
      expect(waiting.lag.cursorsMs.orders).toEqual(expect.any(Number));
      await sleep(TTL_MS / 3);
    }
    // Every page in the raw topic came from the first instance.
    await waitFor(async () => rawOf(tenantId).length === (await appendedBy(first, tenantId)), {
      timeoutMs: 15_000,
      description: "the raw topic to hold exactly the first instance's pages",
    });
    expect(orderIdsOf(tenantId)).toEqual(shopOrderIds());
  });

  it('hands the shop to another instance when the holder stops, which polls on from the cursors', async () => {
    await first.stop();
    await pollingHere(second, tenantId, 'the second instance to take over');
    const status = await second.status(tenantId);
    expect(status.pollingBy).toBe('this-instance');
    // It resumed from the stored cursors: no second backfill.
    expect(status.resources.orders.backfill?.done).toBe(true);

    h.shop.clock.advanceTo(Date.now());
    const order = h.shop.createOrder({ customerId: null });
    await waitFor(() => orderIdsOf(tenantId).has(order.id), {
      timeoutMs: 20_000,
      description: 'an order made after the handover to be polled',
    });
    expect(await appendedBy(second, tenantId)).toBeLessThan(shopOrderIds().size);
  });

  it('takes over a shop whose holder died without releasing its lease, once the lease lapses', async () => {
    const orphan = await connectTenant();
    const dead = createPollingLease({
      db: h.db,
      holder: 'dead-instance',
      ttlMs: 3 * TTL_MS,
      now: Date.now,
    });
    const lapsesAt = (await dead.acquire(orphan)) ?? 0;
    expect(lapsesAt).toBeGreaterThan(0);

    third = startInstance();
    await third.addTenant(orphan);
    const early = await third.status(orphan);
    // Read before the dead holder's lease lapsed (unless this machine stalled that long): not polling.
    if (Date.now() < lapsesAt) expect(early).toMatchObject({ running: false, pollingBy: 'another-instance' });
    await pollingHere(third, orphan, 'the surviving instance to take over');
    await waitFor(() => orderIdsOf(orphan).size === shopOrderIds().size, {
      timeoutMs: 30_000,
      description: "the orphaned shop's backfill",
    });
    expect(await dead.acquire(orphan)).toBeNull();
  });

  it('takes over a shop connected through an instance that then stopped, which it was never told of', async () => {
    await Promise.all([second.stop(), third?.stop()]);
    // Started, an instance tends every shop of the store, and they share the machine's two cores:
    // polled rarely, the shops backfilled already leave them to this one's backfill.
    const rarely = testPollingConfig({
      intervalsMs: { orders: 60_000, customers: 60_000, products: 60_000 },
      leaseTtlMs: TTL_MS,
    });
    const survivor = h.startManager(rarely);
    await survivor.start();
    const holder = h.startManager(rarely);
    await holder.start();
    // As POST /admin/tenants on the holder does: only that instance hears of the new tenant.
    const added = await connectTenant();
    await holder.addTenant(added);
    await pollingHere(holder, added, 'the instance it was connected through to poll');
    await holder.stop();

    await pollingHere(survivor, added, 'the other instance to take over');
    await waitFor(() => orderIdsOf(added).size === shopOrderIds().size, {
      timeoutMs: 30_000,
      description: "the new shop's backfill",
    });
    await survivor.stop();
  });

  it('stops polling a shop whose lease renewal the store holds up, before the lease can lapse', async () => {
    // The store keeps this instance's lease renewals waiting (a stalled store), and answers the rest.
    let stalled = false;
    const db = interceptCollection(h.db, 'polling_leases', (member, original) =>
      member === 'findOneAndUpdate' && stalled ? () => new Promise(() => undefined) : original,
    );
    // A longer lease than the others': the third of it left once a renewal is given up must cover
    // the scheduler's stop (a page in flight is still appended) on a loaded machine.
    const ttlMs = 2 * TTL_MS;
    // From the stall on, the instance's clock runs 2% slow: as a timer that fires early (by as much
    // as a loaded event loop lags) looks to it, so its waits seem to end before they should.
    let slowSince: number | null = null;
    const now = () => {
      const t = Date.now();
      return slowSince === null ? t : t - (t - slowSince) / 50;
    };
    const stalling = h.startManager({ ...config, leaseTtlMs: ttlMs }, { db, now });
    const shop = await connectTenant();
    await stalling.addTenant(shop);
    await pollingHere(stalling, shop, 'the instance to poll');
    stalled = true;
    const stalledAt = Date.now();
    slowSince = stalledAt;
    // A status tells whether the shop is polled as its call starts; the store reads that follow
    // (slow on a loaded machine) are not the instance's to answer for.
    let seenStoppedAt = Infinity;
    await waitFor(
      async () => {
        const askedAt = Date.now();
        const stopped = !(await stalling.status(shop)).running;
        if (stopped) seenStoppedAt = askedAt;
        return stopped;
      },
      { timeoutMs: 2 * ttlMs, intervalMs: 50, description: 'the instance to stop polling' },
    );
    // Stopped before its lease lapses (its last renewal's), so no other instance's polls overlap its own.
    const lease = await h.db
      .collection<{ _id: string; expiresAt: number }>('polling_leases')
      .findOne({ _id: shop });
    expect(seenStoppedAt).toBeLessThan(lease?.expiresAt ?? 0);
    expect(seenStoppedAt - stalledAt).toBeLessThan(ttlMs);
    await stalling.stop();
  });
});

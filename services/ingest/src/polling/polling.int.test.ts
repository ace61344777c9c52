import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimShop, type SimShop } from '@cdp/haravan-sim';

const DAY = 86_400_000;
import { progressCollection } from '@cdp/read-models';
import { waitFor } from '@cdp/testing';
import { createCursorStore, type CursorStore } from './cursor-store';
import type { PollingConfig } from './polling-config';
import {
  startPollingHarness,
  testPollingConfig,
  type PollingHarness,
  type ServedShop,
} from './polling-harness.test-helper';
import type { PollingManager } from './polling-manager';
import { POLLED_RESOURCES, type PolledResource, type SyncCursor } from '@cdp/contracts';
import { MAX_WEBHOOK_BODY_BYTES } from '../webhook/body-limit';
import { freshCursor } from './sync-cursor';
import type { SyncStatus } from './sync-status';

const TOKEN = 'sim-token-polling';

let h: PollingHarness;

const connectTenant = (token = TOKEN, served?: ServedShop) =>
  h.connectTenant({ token, ...(served && { apiBaseUrl: served.url, orgId: served.orgId }) });
const startManager = (overrides?: Partial<PollingConfig>) => h.startManager(testPollingConfig(overrides));

const recordsOf = (tenantId: string, resource: PolledResource) =>
  h.raw
    .filter((r) => r.tenantId === tenantId && r.key.includes(`:${resource.slice(0, -1)}:`))
    .map((r) => JSON.parse(r.body.toString('utf8')) as { id: number; updated_at: string });
const idsOf = (tenantId: string, resource: PolledResource) =>
  new Set(recordsOf(tenantId, resource).map((r) => r.id));
const shopIds = (resource: PolledResource) => new Set(h.shop.records(resource).map((r) => r.id));

const backfilled = (manager: PollingManager, tenantId: string) =>
  waitFor(
    async () => {
      const status = await manager.status(tenantId);
      return Object.values(status.resources).every((r) => r.phase === 'incremental') && status;
    },
    // Customers and products are walked by narrowing windows, which takes more calls at 4/s.
    { timeoutMs: 90_000, intervalMs: 100, description: 'the backfill to finish' },
  );

/** Every resource's cursor as a process that polled at `polledAtMs`, backfill done, then stopped left it. */
async function leftPolledAt(tenantId: string, polledAtMs: number, extra: Partial<SyncCursor> = {}) {
  const cursors = createCursorStore(h.db);
  for (const resource of POLLED_RESOURCES) {
    const stored = freshCursor(tenantId, resource, polledAtMs);
    await cursors.save({
      ...stored,
      backfill: { ...stored.backfill, done: true, finishedAtMs: polledAtMs },
      lastPollStartedAtMs: polledAtMs,
      ...extra,
    });
  }
}

/** The tenant's status once every resource shows as failing, with its error. */
const everyResourceFailing = (manager: PollingManager, tenantId: string) =>
  waitFor(
    async () => {
      const s = await manager.status(tenantId);
      return s.phase === 'failing' && POLLED_RESOURCES.every((r) => s.resources[r].lastError) && s;
    },
    { timeoutMs: 10_000, description: 'every resource to show as failing' },
  );

/** Pays one of the shop's pending orders now, with no webhook; its id. */
function payOneOrder(shop: SimShop): number {
  const pending = shop
    .records('orders')
    .find((r) => r.orderState?.financialStatus === 'pending' && !r.orderState.cancelled);
  if (!pending) throw new Error('the generated shop needs a pending order');
  shop.clock.advanceTo(Date.now());
  shop.payOrder(pending.id);
  return pending.id;
}

const paidPolled = (tenantId: string, orderId: number) =>
  h.raw.some(
    (r) =>
      r.tenantId === tenantId &&
      r.key === `${tenantId}:order:${orderId}` &&
      (JSON.parse(r.body.toString('utf8')) as { financial_status: string }).financial_status === 'paid',
  );

/** Pays one of the shop's pending orders now, with no webhook, and waits for the tenant's polls to bring it. */
async function payAndPoll(shop: SimShop, tenantId: string) {
  const orderId = payOneOrder(shop);
  await waitFor(() => paidPolled(tenantId, orderId), {
    timeoutMs: 15_000,
    description: 'the paid order to be polled',
  });
}

const TEN_MINUTES = 10 * 60_000;

/** A small shop of its own, served: a backfill of the large one would take a minute. */
async function smallShop(orders = 8) {
  const shop = createSimShop({
    seed: 3,
    accessToken: TOKEN,
    startTime: new Date(Date.now() - 40 * DAY),
    stepMs: 5,
  });
  shop.generate({ customers: 3, orders, products: 2, spanDays: 20 });
  return { shop, small: await h.serveShop(shop) };
}

beforeAll(async () => {
  h = await startPollingHarness({
    name: 'polling',
    token: TOKEN,
    seed: 7,
    orgIdBase: 300_000_000,
    // More customers and products than a page: Haravan does not sort them, so those walks narrow.
    generate: { customers: 70, orders: 320, products: 130 },
  });
}, 120_000);

afterAll(() => h?.stop());

describe('polling Haravan into the raw topic', { timeout: 120_000 }, () => {
  let tenantId: string;
  let manager: PollingManager;

  it('backfills every order, customer and product, newest first, with progress', async () => {
    tenantId = await connectTenant();
    manager = startManager();
    await manager.addTenant(tenantId);
    const status: SyncStatus = await backfilled(manager, tenantId);

    for (const resource of ['orders', 'customers', 'products'] as const) {
      const expected = shopIds(resource);
      await waitFor(() => idsOf(tenantId, resource).size === expected.size, {
        timeoutMs: 15_000,
        description: `every ${resource} record in the raw topic`,
      });
      expect(idsOf(tenantId, resource)).toEqual(expected);
      const progress = status.resources[resource];
      expect(progress.backfill?.total).toBe(expected.size);
      expect(progress.backfill?.fetched).toBeGreaterThanOrEqual(expected.size);
      // Offsets follow append order: where Haravan sorts, updated_at never goes up while backfilling.
      if (resource !== 'orders') continue;
      const stamps = recordsOf(tenantId, resource).map((r) => Date.parse(r.updated_at));
      expect(stamps).toEqual([...stamps].sort((a, b) => b - a));
    }
    const order = h.raw.find((r) => r.tenantId === tenantId && r.key.includes(':order:'));
    expect(order).toMatchObject({
      source: 'poll',
      haravanTopic: 'orders/updated',
      orgId: (await h.tenants.get(tenantId))?.haravanOrgId,
    });
    expect(order?.key).toBe(
      `${tenantId}:order:${(JSON.parse(order?.body.toString() ?? '{}') as { id: number }).id}`,
    );
    expect(status.requests).toBeGreaterThan(0);
    // Polled every second (testPollingConfig): each cursor trails now by about that, never by the backfill.
    for (const lag of Object.values(status.lag.cursorsMs)) {
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThan(30_000);
    }
    expect(status.lag.projectionMs).toBe(0);
  });

  it('catches a change made after the backfill with no webhook at all', async () => {
    await payAndPoll(h.shop, tenantId);
    const status = await manager.status(tenantId);
    expect(status.resources.orders.lastPollFinishedAt).not.toBeNull();
  });

  it("catches a change on a host whose clock runs ten minutes ahead of Haravan's", async () => {
    const { shop, small } = await smallShop();
    const ahead = h.startManager(testPollingConfig(), { now: () => Date.now() + TEN_MINUTES });
    try {
      const skewed = await connectTenant(TOKEN, small);
      await ahead.addTenant(skewed);
      await backfilled(ahead, skewed);
      await payAndPoll(shop, skewed);
      // The status tells the skew, and counts the lag from Haravan's time.
      const status = await ahead.status(skewed);
      expect(status.haravanClockAheadMs).toBeGreaterThanOrEqual(TEN_MINUTES);
      expect(status.lag.cursorsMs.orders).toBeLessThan(30_000);
    } finally {
      await ahead.stop();
      await small.close();
    }
  });

  it('polls on at its pace once the clock of a host that ran ten minutes ahead is set right', async () => {
    const { shop, small } = await smallShop(60);
    let hostAheadMs = TEN_MINUTES;
    const stepped = h.startManager(testPollingConfig(), { now: () => Date.now() + hostAheadMs });
    try {
      const tenantId = await connectTenant(TOKEN, small);
      await stepped.addTenant(tenantId);
      await backfilled(stepped, tenantId);
      await payAndPoll(shop, tenantId);
      hostAheadMs = 0; // NTP steps the clock back
      await payAndPoll(shop, tenantId);
    } finally {
      await stepped.stop();
      await small.close();
    }
  });

  it('skips a record too large for the raw topic, and syncs the rest past it', async () => {
    const { shop, small } = await smallShop();
    const [huge, ...rest] = shop.records('orders').map((r) => r.id);
    shop.updateOrder(huge!, { note: 'x'.repeat(MAX_WEBHOOK_BODY_BYTES) });
    const manager = startManager();
    try {
      const tenant = await connectTenant(TOKEN, small);
      await manager.addTenant(tenant);
      await backfilled(manager, tenant);
      await waitFor(() => idsOf(tenant, 'orders').size === rest.length, {
        description: 'every other order in the raw topic',
      });
      expect(idsOf(tenant, 'orders')).toEqual(new Set(rest));
      expect((await manager.status(tenant)).phase).toBe('incremental');
    } finally {
      await manager.stop();
      await small.close();
    }
  });

  it('takes back a cursor an earlier version stored in the time of a host running ahead', async () => {
    const { shop, small } = await smallShop();
    const skewed = await connectTenant(TOKEN, small);
    // As an earlier version left it on that host: backfilled, polled up to the host's now.
    const cursors = createCursorStore(h.db);
    for (const resource of POLLED_RESOURCES) {
      const stored = freshCursor(skewed, resource, Date.now() + TEN_MINUTES);
      await cursors.save({
        ...stored,
        backfill: { ...stored.backfill, done: true, finishedAtMs: Date.now() },
      });
    }
    // A change while no instance polled, older than the overlap when polling starts again.
    const pending = payOneOrder(shop);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const ahead = h.startManager(testPollingConfig({ overlapMs: 1_000 }), {
      now: () => Date.now() + TEN_MINUTES,
    });
    try {
      await ahead.addTenant(skewed);
      await waitFor(() => paidPolled(skewed, pending), {
        timeoutMs: 15_000,
        description: 'the change made meanwhile to be polled',
      });
    } finally {
      await ahead.stop();
      await small.close();
    }
  });

  it("shows how far the read models trail, from the projector's worst partition", async () => {
    const progress = progressCollection(h.db);
    const at = (agoMs: number) => new Date(Date.now() - agoMs).toISOString();
    await progress.insertMany([
      // Behind: its last applied event was recorded a minute ago.
      {
        _id: 'events/0',
        topic: 'events',
        partition: 0,
        appliedOffset: 4,
        highWatermark: 9,
        lastRecordedAt: at(60_000),
        updatedAt: at(0),
      },
      // Caught up: no lag however old its last event.
      {
        _id: 'events/1',
        topic: 'events',
        partition: 1,
        appliedOffset: 8,
        highWatermark: 9,
        lastRecordedAt: at(600_000),
        updatedAt: at(0),
      },
    ]);
    try {
      const { lag } = await manager.status(tenantId);
      expect(lag.projectionMs).toBeGreaterThanOrEqual(60_000);
      expect(lag.projectionMs).toBeLessThan(600_000);
    } finally {
      await progress.deleteMany({});
    }
  });

  // Polling on, it would take the simulator's rate limit from the tests below.
  afterAll(() => manager?.stop());
});

describe('resuming and failing', { timeout: 120_000 }, () => {
  it('resumes a backfill after a restart from the stored cursor', async () => {
    const tenantId = await connectTenant();
    // A slow client bucket, so the restart lands mid-backfill.
    const slow = {
      bucket: { capacity: 1, drainPerSecond: 4, reserve: 0 },
      intervalsMs: { orders: 60_000, customers: 60_000, products: 60_000 },
    };
    const first = startManager(slow);
    await first.addTenant(tenantId);
    await waitFor(async () => ((await first.status(tenantId)).resources.orders.backfill?.pages ?? 0) >= 3, {
      timeoutMs: 20_000,
      description: 'three backfill pages',
    });
    await first.stop();
    const before = (await first.status(tenantId)).resources.orders.backfill;
    expect(before?.done).toBe(false);

    const second = startManager(slow);
    await second.start();
    const status = await backfilled(second, tenantId);
    expect(idsOf(tenantId, 'orders')).toEqual(shopIds('orders'));
    // The second run fetched only what was left, not the whole shop again.
    expect(status.resources.orders.appended).toBeLessThan(shopIds('orders').size - 100);
    expect(status.resources.orders.backfill?.pages).toBeGreaterThan(before?.pages ?? 0);
    // Started, it would take every tenant connected later too.
    await second.stop();
  });

  it("reads a change made now before an outage's backlog, then the backlog", async () => {
    // Every order changed while nobody polled, and read five a page: the backlog takes a while.
    const { shop, small: served } = await smallShop(80);
    const manager = startManager({ pageSize: 5, bucket: { capacity: 10, drainPerSecond: 20, reserve: 0 } });
    try {
      const tenantId = await connectTenant(TOKEN, served);
      await leftPolledAt(tenantId, Date.now() - 41 * DAY);
      const paid = payOneOrder(shop);
      const outage = new Set(shop.records('orders').map((r) => r.id));
      await manager.addTenant(tenantId);
      await waitFor(() => paidPolled(tenantId, paid), {
        timeoutMs: 15_000,
        description: 'the change made now to be polled',
      });
      expect(idsOf(tenantId, 'orders').size).toBeLessThan(outage.size / 2);
      expect((await manager.status(tenantId)).resources.orders.catchUp).not.toBeNull();

      const caughtUp = await waitFor(
        async () => {
          const status = await manager.status(tenantId);
          return status.resources.orders.catchUp === null && status;
        },
        { timeoutMs: 60_000, description: "the orders' catch-up to finish" },
      );
      expect(idsOf(tenantId, 'orders')).toEqual(outage);
      expect(caughtUp.lag.cursorsMs.orders).toBeLessThan(30_000);
    } finally {
      await manager.stop();
      await served.close();
    }
  });

  it('reads the rest of a catch-up an earlier outage left with the gap of a second outage', async () => {
    const { shop, small: served } = await smallShop(40);
    const manager = startManager({ pageSize: 10 });
    try {
      const tenantId = await connectTenant(TOKEN, served);
      // A catch-up from 41 days back had reached 38 days back when the process stopped, 30 days ago.
      const fromMs = Date.now() - 41 * DAY;
      await leftPolledAt(tenantId, Date.now() - 30 * DAY, {
        catchUp: {
          fromMs,
          untilMs: Date.now() - 35 * DAY,
          keyset: { bound: Date.now() - 38 * DAY, tie: null },
          pages: 3,
        },
      });
      // Everything from 38 days back: the first gap's rest, what lies between, and the second gap.
      const expected = new Set(
        shop
          .records('orders')
          .filter((r) => Date.parse(r.payload().updated_at as string) >= Date.now() - 38 * DAY)
          .map((r) => r.id),
      );
      await manager.addTenant(tenantId);
      await waitFor(() => [...expected].every((id) => idsOf(tenantId, 'orders').has(id)), {
        timeoutMs: 60_000,
        description: 'every order changed since the first catch-up stopped to be read',
      });
    } finally {
      await manager.stop();
      await served.close();
    }
  });

  it('honours 429 and Retry-After from the shop and still completes', async () => {
    // Its own server, so its bucket is fresh; our client ignores pacing so the shop has to push back.
    const greedy = await h.serveShop();
    try {
      const tenantId = await connectTenant(TOKEN, greedy);
      const manager = startManager({ bucket: { capacity: 1000, drainPerSecond: 1000, reserve: 0 } });
      await manager.addTenant(tenantId);
      const status = await backfilled(manager, tenantId);
      expect(status.throttled).toBeGreaterThan(0);
      expect(idsOf(tenantId, 'orders')).toEqual(shopIds('orders'));
      await manager.stop();
    } finally {
      await greedy.close();
    }
  });

  it('polls a resource whose cursor the store could not give at first, once it can', async () => {
    const tenantId = await connectTenant();
    const stored = createCursorStore(h.db);
    let refused = 0;
    const cursors: CursorStore = {
      ...stored,
      loadOrCreate: (fresh) =>
        fresh.resource === 'orders' && refused++ < 2
          ? Promise.reject(new Error('connection to the store lost'))
          : stored.loadOrCreate(fresh),
    };
    const manager = h.startManager(testPollingConfig(), { cursors });
    await manager.addTenant(tenantId);
    await waitFor(async () => (await manager.status(tenantId)).resources.orders.phase === 'incremental', {
      timeoutMs: 60_000,
      description: 'the orders backfill to finish',
    });
    expect(refused).toBe(3);
    expect(idsOf(tenantId, 'orders')).toEqual(shopIds('orders'));
    await manager.stop();
  });

  it('shows a wrong token as a failing sync instead of crashing, and starts again with a new one', async () => {
    const tenantId = await connectTenant('wrong-token');
    // Short leases: the holder reads the tenant at each renewal, so a new token is picked up quickly.
    const manager = startManager({ leaseTtlMs: 1500 });
    await manager.addTenant(tenantId);
    // The resources poll concurrently: the sync shows as failing from the first of them to be refused.
    const status = await waitFor(
      async () => {
        const s = await manager.status(tenantId);
        return s.phase === 'failing' && s.resources.orders.lastError !== null && s;
      },
      { timeoutMs: 10_000, description: 'the sync to show as failing, orders included' },
    );
    expect(status.resources.orders.lastError?.code).toBe('ERR_HARAVAN_UNAUTHORIZED');
    expect(idsOf(tenantId, 'orders').size).toBe(0);
    // Kept with the tenant, for the read API to refuse pushes meanwhile.
    await waitFor(async () => (await h.tenants.get(tenantId))?.credentialsRefusedAt, {
      timeoutMs: 5_000,
      description: 'the refused token to be recorded',
    });

    await h.tenants.update(tenantId, { haravanAccessToken: TOKEN });
    await waitFor(() => idsOf(tenantId, 'orders').size > 0, {
      timeoutMs: 30_000,
      description: 'orders polled with the new token',
    });
    expect((await h.tenants.get(tenantId))?.credentialsRefusedAt).toBeNull();
    await manager.stop();
  });

  it('shows a shop that cannot be reached as failing, with why, before any cursor is stored', async () => {
    // Nothing listens there: no answer ever tells Haravan's time, so no cursor can be made.
    const tenantId = await h.connectTenant({ apiBaseUrl: 'http://127.0.0.1:9' });
    const manager = startManager();
    await manager.addTenant(tenantId);
    const status = await everyResourceFailing(manager, tenantId);
    for (const resource of POLLED_RESOURCES) {
      expect(status.resources[resource].phase).toBe('failing');
      expect(status.resources[resource].lastError?.code).toBe('ERR_HARAVAN_UNAVAILABLE');
      expect(status.resources[resource].lastError?.message).toContain('count.json');
    }
    await manager.stop();
  });

  it("shows a token that opens another shop than the tenant's as failing, and files nothing of that shop", async () => {
    // The harness's own server answers shop.json with the shop's org id, which is not the tenant's.
    const tenantId = await h.connectTenant({ apiBaseUrl: h.sim.url });
    const manager = startManager();
    await manager.addTenant(tenantId);
    const status = await everyResourceFailing(manager, tenantId);
    for (const resource of POLLED_RESOURCES) {
      const { lastError, appended } = status.resources[resource];
      expect(lastError?.code).toBe('ERR_HARAVAN_WRONG_SHOP');
      expect(lastError?.message).toContain(`shop ${h.shop.config.orgId}`);
      expect(lastError?.message).toContain(`shop ${(await h.tenants.get(tenantId))?.haravanOrgId}`);
      expect(appended).toBe(0);
    }
    expect(h.raw.filter((r) => r.tenantId === tenantId)).toHaveLength(0);
    await manager.stop();
  });

  it('stops polling a shop that uninstalled the app, until a new token is set', async () => {
    const tenantId = await connectTenant();
    const manager = startManager({ leaseTtlMs: 1500 });
    await manager.addTenant(tenantId);
    await waitFor(async () => (await manager.status(tenantId)).running, {
      timeoutMs: 10_000,
      description: 'polling to start',
    });

    await h.tenants.markUninstalled(tenantId, new Date());
    await waitFor(async () => !(await manager.status(tenantId)).running, {
      timeoutMs: 10_000,
      description: 'polling to stop',
    });
    expect((await h.tenants.get(tenantId))?.uninstalledAt).toBeInstanceOf(Date);

    await h.tenants.update(tenantId, { haravanAccessToken: 'reinstalled-token' });
    expect((await h.tenants.get(tenantId))?.uninstalledAt).toBeNull();
    await waitFor(async () => (await manager.status(tenantId)).running, {
      timeoutMs: 10_000,
      description: 'polling to start again',
    });
    await manager.stop();
  });
});

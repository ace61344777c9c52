import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandStore } from '@cdp/commands';
import { createMetrics } from '@cdp/http';
import { createLogger } from '@cdp/logging';
import {
  CUSTOMER_REBUILDS,
  collectionsFor,
  progressCollection,
  READ_MODEL_FORMAT,
  startRebuild,
  switchGeneration,
  type CustomerRebuildRequest,
} from '@cdp/read-models';
import { createTestDb, listen, resolveInfra, type TestDb, type Listening } from '@cdp/testing';
import { createApp } from './app';
import type { OpsStatus } from './ops-console-status';

const TOKEN = 'ops-console-admin-token';
const LIVE = '_g1';
const REBUILD = '_g2';
const SECRETS = ['SEALED-ACCESS', 'SEALED-WEBHOOK', 'SEALED-VERIFY', 'VERIFY-HASH'];

describe('the ops console over the store', { timeout: 30_000 }, () => {
  let testDb: TestDb;
  let server: Listening;
  let url: string;
  const now = Date.now();

  const get = (path: string, authorization?: string) =>
    fetch(`${url}${path}`, { headers: authorization ? { authorization } : {} });
  const basic = (password: string) => `Basic ${Buffer.from(`operator:${password}`).toString('base64')}`;

  beforeAll(async () => {
    const infra = await resolveInfra();
    testDb = await createTestDb(infra.mongoUri, { prefix: 'ops_console' });
    const db = testDb.db;
    // As ingest writes a tenant: the sealed secrets sit beside the settings.
    await db.collection('tenants').insertMany(
      ['shop-a', 'shop-b'].map((id, i) => ({
        _id: id as never,
        haravanOrgId: `org-${i}`,
        haravanApiBaseUrl: 'http://127.0.0.1:3100',
        sealedAccessToken: SECRETS[0],
        sealedWebhookSecret: SECRETS[1],
        sealedVerifyToken: SECRETS[2],
        verifyTokenHash: SECRETS[3],
        revenuePolicy: 'as-written',
        createdAt: new Date(now - 3_600_000),
      })),
    );
    await db.collection('sync_cursors').insertOne({
      _id: 'shop-a:orders' as never,
      cursor: {
        tenantId: 'shop-a',
        resource: 'orders',
        backfill: {
          done: false,
          keyset: { bound: now - 86_400_000, tie: null },
          startedAtMs: now - 60_000,
          finishedAtMs: null,
          fetched: 250,
          pages: 5,
          total: 1000,
        },
        cursorMs: now - 60_000,
        lastPollStartedAtMs: null,
        lastPollFinishedAtMs: null,
        lastError: null,
      },
      updatedAt: new Date(),
    });
    await db
      .collection('polling_leases')
      // Held for the whole file, however slowly it runs.
      .insertOne({ _id: 'shop-a' as never, holder: 'ingest-1', expiresAt: now + 3_600_000 });
    await db
      .collection('projector_leases')
      .insertOne({ _id: 'live' as never, holder: 'projector-1', expiresAt: now + 3_600_000 });
    await db.collection('webhook_counts').insertMany([
      {
        _id: 'shop-a/one' as never,
        tenantId: 'shop-a',
        outcomes: { accepted: 5, ERR_WEBHOOK_BAD_SIGNATURE: 1 },
        lastReceivedAt: '2025-03-01T00:00:00.000Z',
      },
      {
        _id: 'shop-a/two' as never,
        tenantId: 'shop-a',
        outcomes: { accepted_unknown_topic: 2 },
        lastReceivedAt: '2025-03-02T00:00:00.000Z',
      },
    ]);
    const request = { method: 'POST', path: 'customers.json', body: {}, topic: 'customers/create' } as const;
    const acceptedAt = (at: string) => createCommandStore(db, () => new Date(at));
    await acceptedAt('2025-03-02T00:05:00.000Z').accept({
      tenantId: 'shop-a',
      kind: 'customer',
      cdpId: '1',
      request,
    });
    await acceptedAt('2025-03-02T00:01:00.000Z').accept({
      tenantId: 'shop-a',
      kind: 'customer',
      cdpId: '2',
      request,
    });

    await switchGeneration(db, LIVE);
    await startRebuild(db, REBUILD);
    const updatedAt = new Date(now).toISOString();
    await progressCollection(db, LIVE).insertMany([
      {
        _id: 'cdp.orders.v1/0',
        topic: 'cdp.orders.v1',
        partition: 0,
        appliedOffset: 10,
        highWatermark: 11,
        lastRecordedAt: null,
        updatedAt,
      },
      {
        _id: 'cdp.orders.v1/1',
        topic: 'cdp.orders.v1',
        partition: 1,
        appliedOffset: 3,
        highWatermark: 20,
        lastRecordedAt: new Date(now - 60_000).toISOString(),
        updatedAt,
      },
    ]);
    // The first generation's progress is no longer the projector's.
    await progressCollection(db).insertOne({
      _id: 'cdp.orders.v1/0',
      topic: 'cdp.orders.v1',
      partition: 0,
      appliedOffset: 0,
      highWatermark: 99,
      lastRecordedAt: null,
      updatedAt,
    });
    await db
      .collection(collectionsFor(LIVE).parkedEvents)
      .insertMany([{ _id: 'cdp.orders.v1/0/4' as never }, { _id: 'cdp.orders.v1/0/5' as never }]);
    // Kept refusals: the decider's (one raw partition of two), the served generation's and the rebuild's.
    await db.collection<{ _id: string }>('ingest_raw_marks').insertMany([
      { _id: 'haravan.raw.v1/0', through: 12, refused: 'its log ends at 3' },
      { _id: 'haravan.raw.v1/1', through: 40 },
    ] as never);
    await db.collection<{ _id: string }>(collectionsFor(LIVE).logRefusals).insertOne({
      _id: 'cdp.orders.v1/1',
      reason: 'its log end went down from 9 to 0',
      at: updatedAt,
    } as never);
    await db
      .collection<{ _id: string }>(collectionsFor(REBUILD).logRefusals)
      .insertOne({ _id: 'cdp.customers.v1/0', reason: 'ends at 0, 4 applied', at: updatedAt } as never);
    await db.collection<CustomerRebuildRequest>(CUSTOMER_REBUILDS).insertMany([
      {
        _id: 'older',
        tenantId: 'shop-a',
        customerId: '5001',
        state: 'done',
        requestedAt: new Date(now - 60_000),
        finishedAt: new Date(now - 58_000),
        attempts: 1,
        applied: 23,
      },
      {
        _id: 'newer',
        tenantId: 'shop-a',
        customerId: '5002',
        state: 'pending',
        requestedAt: new Date(now - 1_000),
        attempts: 0,
      },
    ]);

    const app = createApp({
      db,
      log: createLogger('test', 'silent'),
      metrics: createMetrics('test'),
      checks: [],
      adminToken: TOKEN,
    });
    server = await listen(app);
    url = server.url;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await testDb?.cleanup();
  });

  it.each([
    ['no credentials', undefined],
    ['a wrong bearer token', 'Bearer not-the-admin-token'],
    ['a wrong Basic password', basic('not-the-admin-token')],
    ['the token as the Basic user name', `Basic ${Buffer.from(`${TOKEN}:`).toString('base64')}`],
  ])('answers 401 with a Basic challenge to %s', async (_case, authorization) => {
    for (const path of ['/ops', '/ops/status.json']) {
      const res = await get(path, authorization);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="cdp ops"');
      expect(await res.text()).not.toContain('shop-a');
    }
  });

  it.each([
    ['a bearer token', `Bearer ${TOKEN}`],
    ['Basic auth with the token as the password', basic(TOKEN)],
  ])('serves the page, uncached, to %s', async (_case, authorization) => {
    const res = await get('/ops', authorization);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = await res.text();
    expect(page).toContain('<h3>shop-a</h3>');
    expect(page).toContain('<h3>shop-b</h3>');
    for (const secret of SECRETS) expect(page).not.toContain(secret);
  });

  it('gives the same data as JSON: tenants, polling, webhooks, commands, progress, rebuild, parked, customer rebuilds', async () => {
    const res = await get('/ops/status.json', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    const status = JSON.parse(text) as OpsStatus;

    expect(status.tenants.map((t) => t.tenantId)).toEqual(['shop-a', 'shop-b']);
    const [a, b] = status.tenants;
    expect(Object.keys(a ?? {}).sort()).toEqual(
      [
        'commands',
        'createdAt',
        'credentialsRefusedAt',
        'haravanApiBaseUrl',
        'haravanOrgId',
        'polledBy',
        'revenuePolicy',
        'sync',
        'tenantId',
        'uninstalledAt',
        'webhooks',
      ].sort(),
    );
    expect(a).toMatchObject({
      haravanOrgId: 'org-0',
      uninstalledAt: null,
      credentialsRefusedAt: null,
      polledBy: 'ingest-1',
      sync: [{ resource: 'orders', phase: 'backfill', backfill: { done: false, fetched: 250, total: 1000 } }],
      webhooks: {
        accepted: 7,
        rejected: { ERR_WEBHOOK_BAD_SIGNATURE: 1 },
        lastReceivedAt: '2025-03-02T00:00:00.000Z',
      },
      commands: { pending: 2, succeeded: 0, failed: 0, oldestPendingAt: '2025-03-02T00:01:00.000Z' },
    });
    expect(b).toMatchObject({
      polledBy: null,
      sync: [],
      webhooks: { accepted: 0 },
      commands: { pending: 0, oldestPendingAt: null },
    });

    expect(status.readModels).toEqual({
      generation: LIVE,
      // Nothing recorded which derivation built this one.
      format: { builtBy: null, thisRelease: READ_MODEL_FORMAT },
      pendingRebuild: { suffix: REBUILD, partitions: [] },
      parkedEvents: 2,
      logRefusals: [
        { by: 'decider', generation: null, partition: 'haravan.raw.v1/0', reason: 'its log ends at 3' },
        {
          by: 'projector',
          generation: LIVE,
          partition: 'cdp.orders.v1/1',
          reason: 'its log end went down from 9 to 0',
        },
        {
          by: 'projector',
          generation: REBUILD,
          partition: 'cdp.customers.v1/0',
          reason: 'ends at 0, 4 applied',
        },
      ],
      writer: 'projector-1',
      customerRebuilds: [
        {
          tenantId: 'shop-a',
          customerId: '5002',
          state: 'pending',
          requestedAt: new Date(now - 1_000).toISOString(),
          finishedAt: null,
          applied: null,
          error: null,
        },
        {
          tenantId: 'shop-a',
          customerId: '5001',
          state: 'done',
          requestedAt: new Date(now - 60_000).toISOString(),
          finishedAt: new Date(now - 58_000).toISOString(),
          applied: 23,
          error: null,
        },
      ],
    });
    expect(status.projection.partitions.map((p) => [p.partition, p.appliedOffset])).toEqual([
      [0, 10],
      [1, 3],
    ]);
    expect(status.projection.partitions[0]?.lagMs).toBe(0);
    expect(status.projection.partitions[1]?.lagMs).toBeGreaterThanOrEqual(60_000);
    expect(status.projection.maxLagMs).toBe(status.projection.partitions[1]?.lagMs);
  });

  it('leaves the tenant read routes to tenant keys', async () => {
    expect((await get('/v1/customers/1', `Bearer ${TOKEN}`)).status).toBe(401);
  });
});

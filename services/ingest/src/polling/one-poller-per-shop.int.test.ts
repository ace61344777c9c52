import { randomBytes } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimShop, startSimServer, type SimServer, type SimShop } from '@cdp/haravan-sim';
import { createKafka } from '@cdp/kafka';
import { createLogger } from '@cdp/logging';
import {
  createTestDb,
  createTestTopic,
  resolveInfra,
  uniqueName,
  waitFor,
  type TestDb,
  type TestTopic,
} from '@cdp/testing';
import { createSecretBox } from '../tenants/secret-box';
import { createTenantStore, type TenantStore } from '../tenants/tenant-store';
import { createRawLog, type RawLog } from '../webhook/raw-log';
import { fromKafkaMessage, type RawRecord } from '../webhook/raw-record';
import type { PollingConfig } from './polling-config';
import { createPollingLease } from './polling-lease';
import { createPollingManager, type PollingManager } from './polling-manager';
import { POLLED_RESOURCES } from './resources';
import { sleep } from './sleep';

const TOKEN = 'sim-token-lease';
const DAY = 86_400_000;
const TTL_MS = 1500;
const log = createLogger('lease-int', process.env.LOG_LEVEL ?? 'warn');

const config: PollingConfig = {
  intervalsMs: { orders: 500, customers: 1000, products: 1000 },
  overlapMs: 2 * 60_000,
  pageSize: 50,
  bucket: { capacity: 10, drainPerSecond: 5, reserve: 0 },
  retry: { attempts: 3, throttledAttempts: 100, baseMs: 50, maxMs: 500, timeoutMs: 5000 },
  failureDelayMs: 300,
  leaseTtlMs: TTL_MS,
};

let kafka: Kafka;
let admin: Admin;
let topic: TestTopic;
let consumer: Consumer;
let testDb: TestDb;
let rawLog: RawLog;
let tenants: TenantStore;
let shop: SimShop;
let sim: SimServer;
const raw: RawRecord[] = [];
const managers: PollingManager[] = [];
let orgIds = 310_000_000;

async function connectTenant(): Promise<string> {
  const tenantId = uniqueName('lease');
  const created = await tenants.create({
    tenantId,
    haravanOrgId: String(orgIds++),
    haravanAccessToken: TOKEN,
    haravanWebhookSecret: 'secret',
    haravanApiBaseUrl: sim.url,
  });
  expect(created.ok).toBe(true);
  return tenantId;
}

/** Another ingest instance: its own manager (and lease holder id) over the same store and raw topic. */
function startInstance(): PollingManager {
  const manager = createPollingManager({ tenants, rawLog, db: testDb.db, log, config });
  managers.push(manager);
  return manager;
}

const rawOf = (tenantId: string) => raw.filter((r) => r.tenantId === tenantId);
const orderIdsOf = (tenantId: string) =>
  new Set(
    rawOf(tenantId)
      .filter((r) => r.key.includes(':order:'))
      .map((r) => (JSON.parse(r.body.toString('utf8')) as { id: number }).id),
  );
const shopOrderIds = () => new Set(shop.records('orders').map((r) => r.id));

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
  const infra = await resolveInfra();
  kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: uniqueName('lease-int') });
  admin = kafka.admin();
  await admin.connect();
  topic = await createTestTopic(admin, { partitions: 1, prefix: 'lease-raw' });
  rawLog = await createRawLog(kafka, topic.topic);
  testDb = await createTestDb(infra.mongoUri, { prefix: 'lease' });
  tenants = createTenantStore(testDb.db, createSecretBox(randomBytes(32).toString('base64')));
  await tenants.ensureIndexes();
  consumer = kafka.consumer({ groupId: uniqueName('lease-reader') });
  await consumer.connect();
  await consumer.subscribe({ topic: topic.topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const record = fromKafkaMessage(message);
      if (record) raw.push(record);
      return Promise.resolve();
    },
  });

  shop = createSimShop({
    seed: 11,
    accessToken: TOKEN,
    bucket: { capacity: 10, drainPerSecond: 5 },
    startTime: new Date(Date.now() - 40 * DAY),
    stepMs: 5,
  });
  shop.generate({ customers: 20, orders: 120, products: 5, spanDays: 20 });
  sim = await startSimServer(shop);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(managers.map((m) => m.stop()));
  await consumer?.disconnect();
  await rawLog?.close();
  await sim?.close();
  await topic?.cleanup();
  await admin?.disconnect();
  await testDb?.cleanup();
});

describe('one poller per shop across ingest instances', { timeout: 90_000 }, () => {
  let tenantId: string;
  let first: PollingManager;
  let second: PollingManager;

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

    shop.clock.advanceTo(Date.now());
    const order = shop.createOrder({ customerId: null });
    await waitFor(() => orderIdsOf(tenantId).has(order.id), {
      timeoutMs: 20_000,
      description: 'an order made after the handover to be polled',
    });
    expect(await appendedBy(second, tenantId)).toBeLessThan(shopOrderIds().size);
  });

  it('takes over a shop whose holder died without releasing its lease, once the lease lapses', async () => {
    const orphan = await connectTenant();
    const dead = createPollingLease({
      db: testDb.db,
      holder: 'dead-instance',
      ttlMs: 3 * TTL_MS,
      now: Date.now,
    });
    const lapsesAt = (await dead.acquire(orphan)) ?? 0;
    expect(lapsesAt).toBeGreaterThan(0);

    const survivor = startInstance();
    await survivor.addTenant(orphan);
    const early = await survivor.status(orphan);
    // Read before the dead holder's lease lapsed (unless this machine stalled that long): not polling.
    if (Date.now() < lapsesAt) expect(early).toMatchObject({ running: false, pollingBy: 'another-instance' });
    await pollingHere(survivor, orphan, 'the surviving instance to take over');
    await waitFor(() => orderIdsOf(orphan).size === shopOrderIds().size, {
      timeoutMs: 30_000,
      description: "the orphaned shop's backfill",
    });
    expect(await dead.acquire(orphan)).toBeNull();
  });
});

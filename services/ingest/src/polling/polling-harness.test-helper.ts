import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import { expect } from 'vitest';
import { createSimShop, startSimServer, type SimServer, type SimShop } from '@cdp/haravan-sim';
import { createKafka } from '@cdp/kafka';
import { createLogger } from '@cdp/logging';
import { createTestDb, createTestTopic, resolveInfra, uniqueName } from '@cdp/testing';
import { createSecretBox } from '../tenants/secret-box';
import { createTenantStore, type TenantStore } from '../tenants/tenant-store';
import { createRawLog } from '../webhook/raw-log';
import { fromKafkaMessage, type RawRecord } from '../webhook/raw-record';
import type { PollingConfig } from './polling-config';
import { createPollingManager, type PollingManager, type PollingManagerDeps } from './polling-manager';

const DAY = 86_400_000;

/** Small bucket and quick polls, so the polling int tests see pacing and repairs within seconds. */
export const testPollingConfig = (overrides: Partial<PollingConfig> = {}): PollingConfig => ({
  intervalsMs: { orders: 1000, customers: 1000, products: 1000 },
  overlapMs: 2 * 60_000,
  pageSize: 50,
  bucket: { capacity: 10, drainPerSecond: 5, reserve: 0 },
  retry: { attempts: 3, throttledAttempts: 100, baseMs: 50, maxMs: 500, timeoutMs: 5000 },
  pushIntervalMs: 200,
  pushRetentionMs: 60_000,
  pushRetry: { attempts: 3, baseMs: 100, maxMs: 400 },
  pushOutcomeLookup: { windowMs: 1000, lookEveryMs: 200 },
  failureDelayMs: 300,
  ...overrides,
});

/** A simulated shop served under an org id of its own. */
export interface ServedShop extends SimServer {
  orgId: string;
}

export interface PollingHarness {
  shop: SimShop;
  /** The shop under its own org id, which no tenant has. */
  sim: SimServer;
  db: Db;
  tenants: TenantStore;
  /** Every record appended to the raw topic, in order (one partition). */
  raw: RawRecord[];
  /**
   * `shop` (default the harness's) served anew under a new org id, as a copy of it on another org
   * would be, so that each tenant's credentials open a shop of its own org id; closed at stop.
   */
  serveShop(shop?: SimShop): Promise<ServedShop>;
  /**
   * A new tenant of the simulator's shop, served for it by `serveShop`; or of `apiBaseUrl`, under
   * `orgId` (default a new one).
   */
  connectTenant(opts?: { token?: string; apiBaseUrl?: string; orgId?: string }): Promise<string>;
  /** One more polling manager, as a separate ingest instance would run; stopped with the harness. */
  startManager(
    config: PollingConfig,
    deps?: Partial<Pick<PollingManagerDeps, 'cursors' | 'now' | 'db'>>,
  ): PollingManager;
  stop(): Promise<void>;
}

/**
 * What the polling int tests share: a simulated shop with a generated history in the recent past
 * (so "now" windows line up with its clock), served over HTTP; a real store with a tenant store;
 * and a one-partition raw topic read back as it fills.
 */
export async function startPollingHarness(opts: {
  name: string;
  token: string;
  seed: number;
  orgIdBase: number;
  generate: { customers: number; orders: number; products: number };
}): Promise<PollingHarness> {
  const log = createLogger(`${opts.name}-int`, process.env.LOG_LEVEL ?? 'warn');
  const infra = await resolveInfra();
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: uniqueName(`${opts.name}-int`) });
  const admin = kafka.admin();
  await admin.connect();
  // One partition: offsets then show the order in which pages were appended.
  const topic = await createTestTopic(admin, { partitions: 1, prefix: `${opts.name}-raw` });
  const rawLog = await createRawLog(kafka, topic.topic);
  const testDb = await createTestDb(infra.mongoUri, { prefix: opts.name });
  const tenants = createTenantStore(testDb.db, createSecretBox(randomBytes(32).toString('base64')));
  await tenants.ensureIndexes();
  const raw: RawRecord[] = [];
  const readerGroup = uniqueName(`${opts.name}-reader`);
  const consumer = kafka.consumer({ groupId: readerGroup });
  await consumer.connect();
  await consumer.subscribe({ topic: topic.topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const record = fromKafkaMessage(message);
      if (record) raw.push(record);
      return Promise.resolve();
    },
  });

  const shop = createSimShop({
    seed: opts.seed,
    accessToken: opts.token,
    bucket: { capacity: 10, drainPerSecond: 5 },
    startTime: new Date(Date.now() - 40 * DAY),
    stepMs: 5,
  });
  shop.generate({ ...opts.generate, spanDays: 20 });
  const sim = await startSimServer(shop);
  const managers: PollingManager[] = [];
  const served: SimServer[] = [];
  let orgIds = opts.orgIdBase;

  async function serveShop(of = shop): Promise<ServedShop> {
    const orgId = orgIds++;
    const server = await startSimServer(of, { orgId });
    served.push(server);
    return { ...server, orgId: String(orgId) };
  }

  return {
    shop,
    sim,
    db: testDb.db,
    tenants,
    raw,
    serveShop,
    async connectTenant({ token = opts.token, apiBaseUrl, orgId } = {}) {
      const target =
        apiBaseUrl === undefined ? await serveShop() : { url: apiBaseUrl, orgId: orgId ?? String(orgIds++) };
      const tenantId = uniqueName(opts.name);
      const created = await tenants.create({
        tenantId,
        haravanOrgId: target.orgId,
        haravanAccessToken: token,
        haravanWebhookSecret: 'secret',
        haravanApiBaseUrl: target.url,
      });
      expect(created.ok).toBe(true);
      return tenantId;
    },
    startManager(config, deps = {}) {
      const manager = createPollingManager({ tenants, rawLog, db: testDb.db, log, config, ...deps });
      managers.push(manager);
      return manager;
    },
    async stop() {
      await Promise.allSettled(managers.map((m) => m.stop()));
      await consumer.disconnect();
      await admin.deleteGroups([readerGroup]).catch(() => undefined);
      await rawLog.close();
      await sim.close();
      // Some were closed by their tests already.
      await Promise.allSettled(served.map((server) => server.close()));
      await topic.cleanup();
      await admin.disconnect();
      await testDb.cleanup();
    },
  };
}

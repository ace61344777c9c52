import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Kafka } from 'kafkajs';
import { topicNames, type TopicNames } from '@cdp/contracts';
import { createMetrics } from '@cdp/http';
import { createKafka, ensureTopics, pipelineTopics } from '@cdp/kafka';
import { createLogger } from '@cdp/logging';
import { createTestDb, deleteGroup, resolveInfra, uniqueName, waitFor, type TestDb } from '@cdp/testing';
import { createApp } from '../app';
import { haravanOrder } from '../haravan/haravan-payloads.fixture';
import { testPollingConfig } from '../polling/polling-harness.test-helper';
import { createPollingManager, type PollingManager } from '../polling/polling-manager';
import { tenantSettingsSchema, tenantStatusSchema } from '../tenants/tenant-schemas';
import { createSecretBox } from '../tenants/secret-box';
import { createTenantStore, type TenantStore } from '../tenants/tenant-store';
import { createRawLog, type RawLog } from './raw-log';
import { RAW_HEADERS } from './raw-record';
import { createWebhookCounts, type WebhookCounts } from './webhook-counts';
import { signBody } from './verify-signature';

const ORG = '200001220496';
const SECRET = 'ingress-secret';
const ADMIN_TOKEN = randomBytes(16).toString('hex');
const log = createLogger('ingress-test', 'silent');

async function serve(
  rawLog: RawLog,
  tenants: TenantStore,
  webhookCounts: WebhookCounts,
  polling: PollingManager,
  webhookAppendTimeoutMs?: number,
): Promise<{ server: Server; url: string }> {
  const app = createApp({
    tenants,
    rawLog,
    log,
    metrics: createMetrics('test'),
    checks: [],
    adminToken: ADMIN_TOKEN,
    webhookBodyLimit: '8kb',
    defaultApiBaseUrl: 'http://127.0.0.1:9',
    onTenantCreated: () => undefined,
    syncStatus: (tenantId) => polling.status(tenantId),
    webhookCounts,
    ...(webhookAppendTimeoutMs !== undefined && { webhookAppendTimeoutMs }),
  });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
}

/** Everything the raw topic holds, read with a throwaway group. */
async function readRaw(kafka: Kafka, topic: string, expected: number) {
  const groupId = uniqueName('raw-reader');
  const consumer = kafka.consumer({ groupId });
  const seen: { key: string; value: string; headers: Record<string, string> }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(
        Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
      );
      seen.push({ key: String(message.key), value: String(message.value), headers });
      return Promise.resolve();
    },
  });
  try {
    // Joining the group may take a while on a loaded machine: waited for, not timed.
    await waitFor(() => seen.length >= expected, {
      timeoutMs: 30_000,
      intervalMs: 50,
      description: `${expected} raw records`,
    }).catch(() => undefined);
    // Give a stray extra record the chance to show up before concluding.
    await new Promise((resolve) => setTimeout(resolve, 500));
    return seen;
  } finally {
    await consumer.disconnect();
    await deleteGroup(kafka, groupId);
  }
}

describe('webhook ingress', () => {
  let kafka: Kafka;
  let admin: Admin;
  let topics: TopicNames;
  let store: TestDb;
  let rawLog: RawLog;
  let live: { server: Server; url: string };
  let tenants: TenantStore;
  let webhookCounts: WebhookCounts;
  let polling: PollingManager;

  beforeAll(async () => {
    const infra = await resolveInfra();
    topics = topicNames(`${uniqueName('ingress')}.`);
    kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'ingress-test' });
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, pipelineTopics(topics, 1));
    store = await createTestDb(infra.mongoUri, { prefix: 'ingress' });
    tenants = createTenantStore(store.db, createSecretBox(randomBytes(32).toString('base64')));
    await tenants.ensureIndexes();
    await tenants.create({
      tenantId: 'shop-ingress',
      haravanOrgId: ORG,
      haravanAccessToken: 'token',
      haravanWebhookSecret: SECRET,
      haravanApiBaseUrl: 'http://127.0.0.1:9',
      webhookVerifyToken: 'verify-me',
    });
    rawLog = await createRawLog(kafka, topics.raw);
    webhookCounts = createWebhookCounts(store.db);
    // Never started: it polls no shop here, and answers the tenant's status from the store.
    polling = createPollingManager({ tenants, rawLog, db: store.db, log, config: testPollingConfig() });
    live = await serve(rawLog, tenants, webhookCounts, polling);
  });

  afterAll(async () => {
    live?.server.close();
    await rawLog?.close();
    await webhookCounts?.close();
    await admin?.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin?.disconnect();
    await store?.cleanup();
  });

  const post = (url: string, body: string, headers: Record<string, string | undefined> = {}) => {
    const all: Record<string, string | undefined> = {
      'content-type': 'application/json',
      'x-haravan-topic': 'orders/create',
      'x-haravan-org-id': ORG,
      'x-haravan-hmacsha256': signBody(body, SECRET),
      ...headers,
    };
    return fetch(`${url}/haravan/webhook`, {
      method: 'POST',
      headers: Object.fromEntries(
        Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined),
      ),
      body,
    });
  };

  it('answers every kind of bad delivery with its status and keeps only the accepted ones', async () => {
    const order = JSON.stringify({ ...haravanOrder, id: 1001, extra: { note: 'an unknown field is kept' } });
    expect((await post(live.url, order)).status).toBe(200);
    expect((await post(live.url, order, { 'x-haravan-hmacsha256': signBody(order, 'wrong') })).status).toBe(
      401,
    );
    const unsigned = await post(live.url, order, { 'x-haravan-hmacsha256': undefined });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: { message: 'X-Haravan-Hmacsha256 is missing' } });
    expect((await post(live.url, order, { 'x-haravan-org-id': '1' })).status).toBe(404);
    expect((await post(live.url, order, { 'x-haravan-topic': undefined })).status).toBe(400);
    expect((await post(live.url, order, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(live.url, '{"id": 1')).status).toBe(400);
    expect((await post(live.url, '[1,2]')).status).toBe(400);
    expect((await post(live.url, '{"id":"abc"}')).status).toBe(400);
    // Not an order: the decider could not read it, so Haravan hears of it now.
    const notAnOrder = await post(live.url, '{"id":1002}');
    expect(notAnOrder.status).toBe(400);
    expect(await notAnOrder.json()).toMatchObject({
      error: { code: 'ERR_WEBHOOK_BAD_SHAPE', message: expect.stringContaining('created_at') as unknown },
    });
    // A well-signed order under a customer topic would be decided as a customer named "#100020".
    const orderAsCustomer = await post(live.url, order, { 'x-haravan-topic': 'customers/update' });
    expect(orderAsCustomer.status).toBe(400);
    expect(await orderAsCustomer.json()).toMatchObject({
      error: {
        code: 'ERR_WEBHOOK_BAD_SHAPE',
        message: expect.stringContaining("an order's fields") as unknown,
      },
    });
    expect(
      (await post(live.url, JSON.stringify({ ...haravanOrder, pad: 'x'.repeat(8 * 1024) }))).status,
    ).toBe(413);
    // Signed with its byte order mark, as some senders write JSON.
    expect((await post(live.url, `\uFEFF${JSON.stringify({ ...haravanOrder, id: 8 })}`)).status).toBe(200);
    const unknownTopic = await post(live.url, '{"id":7}', { 'x-haravan-topic': 'carts/create' });
    expect(unknownTopic.status).toBe(202);
    // Haravan's "send test notification": sample data, kept but never taken as the shop's order.
    const sample = JSON.stringify({ id: 'sample', note: 'not the shape of an order' });
    expect(
      (await post(live.url, sample, { 'x-haravan-test': 'True', 'x-haravan-hmacsha256': 'bad' })).status,
    ).toBe(401);
    const test = await post(live.url, sample, { 'x-haravan-test': 'True' });
    expect(test.status).toBe(200);
    // A test header saying false is no test: this body is then not an order.
    expect((await post(live.url, sample, { 'x-haravan-test': 'false' })).status).toBe(400);
    expect(await test.json()).toEqual({ ok: true, note: 'test delivery kept in the raw log only' });

    const legacy = JSON.stringify({ ...haravanOrder, id: 1003 });
    expect(
      (
        await post(live.url, legacy, {
          'x-haravan-hmacsha256': undefined,
          'x-haravan-hmac-sha256': signBody(legacy, SECRET),
        })
      ).status,
    ).toBe(200);

    const raw = await readRaw(kafka, topics.raw, 5);
    expect(raw).toHaveLength(5);
    expect(raw[0]).toMatchObject({
      key: 'shop-ingress:order:1001',
      value: order,
      headers: {
        [RAW_HEADERS.topic]: 'orders/create',
        [RAW_HEADERS.source]: 'webhook',
        [RAW_HEADERS.tenantId]: 'shop-ingress',
      },
    });
    expect(raw[1]).toMatchObject({ key: 'shop-ingress:order:8' });
    expect(raw[2]).toMatchObject({ key: 'shop-ingress:unknown:carts/create', value: '{"id":7}' });
    expect(raw[3]).toMatchObject({
      key: 'shop-ingress:test:orders/create',
      value: sample,
      headers: { [RAW_HEADERS.source]: 'webhook-test' },
    });
    expect(raw[4]).toMatchObject({ key: 'shop-ingress:order:1003', value: legacy });

    // The tenant's sync status counts its deliveries (the unknown org and the headerless one are no one's).
    const status = await fetch(`${live.url}/admin/tenants/shop-ingress`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    // The answer is what the OpenAPI document describes.
    const { sync } = tenantStatusSchema.parse(await status.json());
    expect(sync.webhooks).toMatchObject({
      accepted: 5,
      rejected: {
        ERR_WEBHOOK_BAD_SIGNATURE: 3,
        ERR_WEBHOOK_NOT_JSON: 1,
        ERR_WEBHOOK_BAD_JSON: 1,
        ERR_WEBHOOK_BAD_SHAPE: 5,
      },
    });
    expect(sync.webhooks.lastReceivedAt).not.toBeNull();
    // No poll yet, and no projector has recorded progress in this store.
    expect(sync).toMatchObject({
      lag: { cursorsMs: { orders: null, customers: null, products: null }, projectionMs: 0 },
    });
  });

  it("rotates a shop's credentials over the admin API, and hears its uninstall", async () => {
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${live.url}/admin/tenants${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    const org = '200001220497';
    const created = await admin('POST', '', {
      tenantId: 'shop-rotate',
      haravanOrgId: org,
      haravanAccessToken: 'token-before',
      haravanWebhookSecret: 'secret-before',
    });
    expect(created.status).toBe(201);
    const deliver = (secret: string, topic = 'orders/create', id = 2001) => {
      const body = JSON.stringify({ ...haravanOrder, id });
      return post(live.url, body, {
        'x-haravan-org-id': org,
        'x-haravan-topic': topic,
        'x-haravan-hmacsha256': signBody(body, secret),
      });
    };
    expect((await deliver('secret-before')).status).toBe(200);

    expect((await admin('PATCH', '/shop-rotate', {})).status).toBe(400);
    // A body of another type is refused, not read as no body (PATCH would then say nothing changed).
    const asText = await fetch(`${live.url}/admin/tenants/shop-rotate`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/plain' },
      body: JSON.stringify({ revenuePolicy: 'net-of-refunds' }),
    });
    expect(asText.status).toBe(415);
    expect(await asText.json()).toMatchObject({ error: { code: 'ERR_NOT_JSON' } });
    expect((await admin('PATCH', '/no-such-shop', { haravanAccessToken: 'x' })).status).toBe(404);
    const rotated = await admin('PATCH', '/shop-rotate', { haravanWebhookSecret: 'secret-after' });
    expect(rotated.status).toBe(200);
    const rotatedText = await rotated.text();
    for (const secret of ['secret-before', 'secret-after', 'token-before'])
      expect(rotatedText).not.toContain(secret);
    expect(tenantSettingsSchema.parse(JSON.parse(rotatedText)).connection).toMatchObject({
      previousWebhookSecrets: 1,
      uninstalledAt: null,
    });
    // The webhook route reads tenants through a cache of a few seconds.
    await waitFor(async () => (await deliver('secret-after')).status === 200, {
      timeoutMs: 15_000,
      description: 'deliveries signed with the new secret to be taken',
    });
    // Haravan may still retry deliveries it signed before the rotation.
    expect((await deliver('secret-before')).status).toBe(200);
    expect((await deliver('not-a-secret-of-this-shop')).status).toBe(401);

    // Topics are matched as classifyTopic reads them: trimmed, any case.
    expect((await deliver('secret-after', ' App/Uninstalled')).status).toBe(200);
    const status = async () =>
      tenantStatusSchema.parse(await (await admin('GET', '/shop-rotate')).json()).connection;
    const uninstalled = await status();
    expect(uninstalled.uninstalledAt).not.toBeNull();

    const reinstalled = await admin('PATCH', '/shop-rotate', { haravanAccessToken: 'token-after' });
    expect(reinstalled.status).toBe(200);
    expect(await status()).toMatchObject({ uninstalledAt: null });
    expect(Date.parse((await status()).apiCredentialsSetAt)).toBeGreaterThan(
      Date.parse(uninstalled.apiCredentialsSetAt),
    );
  });

  it('answers 503 when Kafka cannot take the delivery, so Haravan retries', async () => {
    const closed = await createRawLog(kafka, topics.raw);
    await closed.close();
    const down = await serve(closed, tenants, webhookCounts, polling);
    try {
      expect((await post(down.url, JSON.stringify({ ...haravanOrder, id: 5 }))).status).toBe(503);
    } finally {
      down.server.close();
    }
  });

  it('answers 503 in time when Kafka is too slow to take the delivery, so Haravan retries', async () => {
    // Kafka takes each append two seconds; Haravan would give up on the answer first.
    const real = await createRawLog(kafka, topics.raw);
    const slow: RawLog = {
      append: (records) => sleep(2_000).then(() => real.append(records)),
      close: () => real.close(),
    };
    const lagging = await serve(slow, tenants, webhookCounts, polling, 300);
    try {
      const startedAt = Date.now();
      expect((await post(lagging.url, JSON.stringify({ ...haravanOrder, id: 6 }))).status).toBe(503);
      expect(Date.now() - startedAt).toBeLessThan(1_500);
    } finally {
      lagging.server.close();
      await sleep(2_000);
      await real.close();
    }
  });

  it('answers the subscription handshake only for a known verify token', async () => {
    const ok = await fetch(
      `${live.url}/haravan/webhook?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=c-42`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('c-42');
    const bad = await fetch(
      `${live.url}/haravan/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=c-42`,
    );
    expect(bad.status).toBe(401);
  });

  it("refuses another tenant's verify token, when a tenant is created or changed", async () => {
    const admin = (method: string, path: string, body: unknown) =>
      fetch(`${live.url}/admin/tenants${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const created = await admin('POST', '', {
      tenantId: 'shop-token',
      haravanOrgId: '200001220498',
      haravanAccessToken: 'token',
      haravanWebhookSecret: 'secret',
      webhookVerifyToken: 'verify-me',
    });
    expect(created.status).toBe(409);
    expect(await created.json()).toMatchObject({ error: { code: 'ERR_VERIFY_TOKEN_TAKEN' } });
    const other = await admin('POST', '', {
      tenantId: 'shop-token',
      haravanOrgId: '200001220498',
      haravanAccessToken: 'token',
      haravanWebhookSecret: 'secret',
    });
    expect(other.status).toBe(201);
    expect((await admin('PATCH', '/shop-token', { webhookVerifyToken: 'verify-me' })).status).toBe(409);
    expect((await admin('PATCH', '/shop-token', { webhookVerifyToken: 'verify-token' })).status).toBe(200);
  });
});

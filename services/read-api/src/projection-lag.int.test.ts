import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Producer } from 'kafkajs';
import { topicNames } from '@cdp/contracts';
import { createMetrics, hashSecret } from '@cdp/http';
import { createKafka } from '@cdp/kafka';
import { createLogger } from '@cdp/logging';
import {
  defaultCollections,
  progressCollection,
  watchDecider,
  watchLogEnds,
  type GroupOffsetsAdmin,
  type OrderDoc,
} from '@cdp/read-models';
import { createTestDb, listen, resolveInfra, uniqueName, type Listening, type TestDb } from '@cdp/testing';
import { createApp, type ReadApiDeps } from './app';
import { orderDoc } from './read-model-docs.test-helper';
import { createProjectionProgress, MIN_POSITION_HEADER, projectionLag, STALE_HEADER } from './projection-lag';

const KEY = 'key-lag-tenant';

/** The read API over one tenant's order 2000, read with KEY, lag looked up afresh on every read. */
async function serveOneOrder(testDb: TestDb, lag: Pick<ReadApiDeps, 'logEnds' | 'deciderLag'>) {
  await testDb.db
    .collection<{ _id: string; tenantId: string; revokedAt: null }>('api_keys')
    .insertOne({ _id: hashSecret(KEY), tenantId: 't1', revokedAt: null });
  await testDb.db
    .collection<OrderDoc>(defaultCollections.orders)
    .insertOne(orderDoc('t1', { orderId: '2000' }));
  return listen(
    createApp({
      db: testDb.db,
      log: createLogger('test', 'silent'),
      metrics: createMetrics('test'),
      checks: [],
      lagCacheMs: 0,
      ...lag,
    }),
  );
}

/** Records that the projector applied `topic`'s partition 0 up to `appliedOffset`, a quiet hour ago. */
const recordApplied = (testDb: TestDb, topic: string, appliedOffset: number) =>
  progressCollection(testDb.db).updateOne(
    { _id: `${topic}/0` },
    {
      $set: {
        topic,
        partition: 0,
        appliedOffset,
        highWatermark: appliedOffset + 1,
        lastRecordedAt: new Date(Date.now() - 3_600_000).toISOString(),
        // A quiet hour: the projector last wrote progress long ago.
        updatedAt: new Date(Date.now() - 3_600_000).toISOString(),
      },
    },
    { upsert: true },
  );

describe('lag of a projection whose projector stopped after catching up', { timeout: 60_000 }, () => {
  let testDb: TestDb;
  let admin: Admin;
  let producer: Producer;
  let topic: string;
  let logEnds: ReturnType<typeof watchLogEnds>;
  let server: Listening;

  const get = (path: string) =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${KEY}` } }).then((res) => res.headers);
  const produce = (count: number) =>
    producer.send({
      topic,
      messages: Array.from({ length: count }, (_, i) => ({ key: `t1:${i}`, value: 'x' })),
    });
  const applied = (appliedOffset: number) => recordApplied(testDb, topic, appliedOffset);

  beforeAll(async () => {
    const infra = await resolveInfra();
    testDb = await createTestDb(infra.mongoUri, { prefix: 'read_api_lag' });
    const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'read-api-lag-test' });
    admin = kafka.admin();
    await admin.connect();
    topic = topicNames(`${uniqueName('lag')}.`).orders;
    await admin.createTopics({
      topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    producer = kafka.producer();
    await producer.connect();
    logEnds = watchLogEnds(admin, [topic], { intervalMs: 60_000 });
    server = await serveOneOrder(testDb, { logEnds });
  });

  afterAll(async () => {
    logEnds?.stop();
    await server?.close();
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin?.disconnect();
    await testDb?.cleanup();
  });

  it('counts the events waiting in Kafka, not the quiet spell before them, and waits for them', async () => {
    await produce(2);
    await applied(1);
    await logEnds.refresh();
    expect((await get('/v1/orders/2000')).get('x-projection-lag-ms')).toBe('0');

    await produce(3);
    await logEnds.refresh();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const behind = await get('/v1/orders/2000?waitMs=200');
    expect(behind.get('x-stale')).toBe('true');
    const lag = Number(behind.get('x-projection-lag-ms'));
    expect(lag).toBeGreaterThanOrEqual(1_000);
    expect(lag).toBeLessThan(60_000);

    setTimeout(() => void applied(4), 200);
    const caughtUp = await get('/v1/orders/2000?waitMs=3000');
    expect(caughtUp.get('x-stale')).toBeNull();
    expect(caughtUp.get('x-projection-lag-ms')).toBe('0');
  });

  it('ends a wait once what was in the log when it began is applied, however much comes after', async () => {
    await produce(1);
    await applied(4);
    await logEnds.refresh();
    const end = Number((await admin.fetchTopicOffsets(topic))[0]?.high);

    // Steady traffic: more events come while the projector applies those the wait began with.
    setTimeout(() => void produce(2).then(() => applied(end - 1)), 300);
    const started = Date.now();
    const read = await get('/v1/orders/2000?waitMs=4000');

    expect(read.get('x-stale')).toBeNull();
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});

describe(
  'lag of what ingest accepted and its decider has not turned into events yet',
  { timeout: 60_000 },
  () => {
    let testDb: TestDb;
    let admin: Admin;
    let producer: Producer;
    let rawTopic: string;
    let decider: ReturnType<typeof watchDecider>;
    let server: Listening;
    const groupId = uniqueName('lag-decider');

    const get = (path: string) =>
      fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${KEY}` } }).then(
        (res) => res.headers,
      );
    const accept = (count: number) =>
      producer.send({
        topic: rawTopic,
        messages: Array.from({ length: count }, (_, i) => ({ key: `t1:order:${i}`, value: '{}' })),
      });
    const decided = (offset: number) =>
      admin.setOffsets({ groupId, topic: rawTopic, partitions: [{ partition: 0, offset: String(offset) }] });

    beforeAll(async () => {
      const infra = await resolveInfra();
      testDb = await createTestDb(infra.mongoUri, { prefix: 'read_api_decider_lag' });
      const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'read-api-decider-lag-test' });
      admin = kafka.admin();
      await admin.connect();
      rawTopic = topicNames(`${uniqueName('lag')}.`).raw;
      await admin.createTopics({
        topics: [{ topic: rawTopic, numPartitions: 1, replicationFactor: 1 }],
        waitForLeaders: true,
      });
      producer = kafka.producer();
      await producer.connect();
      decider = watchDecider(admin, { groupId, rawTopic, intervalMs: 60_000 });
      server = await serveOneOrder(testDb, { deciderLag: decider });
    });

    afterAll(async () => {
      decider?.stop();
      await server?.close();
      await producer?.disconnect();
      await admin?.deleteGroups([groupId]).catch(() => undefined);
      await admin?.deleteTopics({ topics: [rawTopic] }).catch(() => undefined);
      await admin?.disconnect();
      await testDb?.cleanup();
    });

    it('counts the raw records waiting for the decider on every route, and waits for them', async () => {
      await accept(2);
      await decided(2);
      await decider.refresh();
      expect((await get('/v1/orders/2000')).get('x-projection-lag-ms')).toBe('0');

      // A backfill's page: the projector is idle, but its events are not there yet.
      await accept(3);
      await decider.refresh();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      for (const path of ['/v1/orders/2000', '/v1/customers?q=x', '/v1/products?q=x']) {
        const lag = Number((await get(path)).get('x-projection-lag-ms'));
        expect(lag, path).toBeGreaterThanOrEqual(1_000);
        expect(lag, path).toBeLessThan(60_000);
      }
      expect((await get('/v1/orders/2000?waitMs=200')).get('x-stale')).toBe('true');
      // A command is no projection: it trails nothing and has nothing to wait for.
      const command = await get('/v1/commands/cmd-1?waitMs=3000');
      expect([command.get('x-projection-lag-ms'), command.get('x-stale')]).toEqual(['0', null]);

      // The decider commits; a wait looks again rather than take the watch's last (60 s) read.
      await decided(5);
      const caughtUp = await get('/v1/orders/2000?waitMs=3000');
      expect(caughtUp.get('x-stale')).toBeNull();
      expect(caughtUp.get('x-projection-lag-ms')).toBe('0');

      // More is accepted while a wait runs: it ends once what was accepted when it began is decided.
      await accept(1);
      setTimeout(() => void accept(2).then(() => decided(6)), 300);
      expect((await get('/v1/orders/2000?waitMs=4000')).get('x-stale')).toBeNull();
    });
  },
);

/**
 * kafkajs's admin, answering where one topic's log ends a while after it read them (as a broker slow
 * to answer does): a look at Kafka under way when a reader writes there tells of the log before the write.
 */
function answeringLate(admin: Admin) {
  let late: { topic: string; ms: number; onRead: () => void } | undefined;
  return {
    admin: {
      fetchOffsets: (opts) => admin.fetchOffsets(opts),
      async fetchTopicOffsets(topic) {
        const offsets = await admin.fetchTopicOffsets(topic);
        if (late?.topic === topic) {
          late.onRead();
          await sleep(late.ms);
        }
        return offsets;
      },
    } satisfies GroupOffsetsAdmin,
    /** Answers about `topic` come `ms` late from now on; resolves once it is next read, before the answer. */
    lateAbout: (topic: string, ms: number) =>
      new Promise<void>((resolve) => (late = { topic, ms, onRead: resolve })),
    onTime: () => (late = undefined),
  };
}

describe('a wait whose look at Kafka is under way as the reader writes', { timeout: 60_000 }, () => {
  let testDb: TestDb;
  let admin: Admin;
  let producer: Producer;
  let topic: string;
  let rawTopic: string;
  let late: ReturnType<typeof answeringLate>;
  let logEnds: ReturnType<typeof watchLogEnds>;
  let decider: ReturnType<typeof watchDecider>;
  let server: Listening;
  const groupId = uniqueName('lag-late');

  const get = (path: string) =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${KEY}` } }).then((res) => res.headers);
  const write = (to: string) => producer.send({ topic: to, messages: [{ key: 't1:order:1', value: '{}' }] });
  const endOf = async (of: string) => Number((await admin.fetchTopicOffsets(of))[0]?.high);
  /** The decider has decided all that was accepted, and the projector applied all its events. */
  const projected = async () => {
    await recordApplied(testDb, topic, (await endOf(topic)) - 1);
    const rawEnd = await endOf(rawTopic);
    const [group] = await admin.fetchOffsets({ groupId, topics: [rawTopic] });
    // Committing takes the group's first rebalance, seconds: only when there is something to commit.
    if (Number(group?.partitions[0]?.offset) !== rawEnd)
      await admin.setOffsets({
        groupId,
        topic: rawTopic,
        partitions: [{ partition: 0, offset: String(rawEnd) }],
      });
  };

  beforeAll(async () => {
    const infra = await resolveInfra();
    testDb = await createTestDb(infra.mongoUri, { prefix: 'read_api_late_look' });
    const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'read-api-late-look-test' });
    admin = kafka.admin();
    await admin.connect();
    const topics = topicNames(`${uniqueName('lag')}.`);
    [topic, rawTopic] = [topics.orders, topics.raw];
    await admin.createTopics({
      topics: [topic, rawTopic].map((t) => ({ topic: t, numPartitions: 1, replicationFactor: 1 })),
      waitForLeaders: true,
    });
    producer = kafka.producer();
    await producer.connect();
    await Promise.all([write(topic), write(rawTopic)]);
    late = answeringLate(admin);
    logEnds = watchLogEnds(late.admin, [topic], { intervalMs: 60_000 });
    decider = watchDecider(late.admin, { groupId, rawTopic, intervalMs: 60_000 });
    server = await serveOneOrder(testDb, { logEnds, deciderLag: decider });
  });

  afterAll(async () => {
    logEnds?.stop();
    decider?.stop();
    await server?.close();
    await producer?.disconnect();
    await admin?.deleteGroups([groupId]).catch(() => undefined);
    await admin?.deleteTopics({ topics: [topic, rawTopic] }).catch(() => undefined);
    await admin?.disconnect();
    await testDb?.cleanup();
  });

  it.each([
    ['event log', 200],
    ['event log', 400],
    ['raw topic', 200],
    ['raw topic', 400],
  ])(
    "waits for the reader's write, else answers stale, when the %s is being read (answered %i ms late)",
    async (log, lateMs) => {
      late.onTime();
      await projected();
      await Promise.all([logEnds.refresh(), decider.refresh()]);

      const written = log === 'event log' ? topic : rawTopic;
      const read = late.lateAbout(written, lateMs);
      const underWay = log === 'event log' ? logEnds.refresh() : decider.refresh();
      await read;
      // The reader's write, acknowledged before it asks: the look under way cannot show it.
      await write(written);
      expect((await get('/v1/orders/2000?waitMs=1500')).get('x-stale')).toBe('true');
      await underWay;

      // Once projected, a wait sees it, however late Kafka answers.
      await projected();
      expect((await get('/v1/orders/2000?waitMs=4000')).get('x-stale')).toBeNull();
    },
  );
});

describe('many reads waiting at once', { timeout: 60_000 }, () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'read_api_waits' });
  });
  afterAll(() => testDb?.cleanup());

  it('share their looks at the progress, instead of each reading the store every 50 ms', async () => {
    let reads = 0;
    const progress = progressCollection(testDb.db);
    const counted = new Proxy(progress, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (name === 'find' || name === 'findOne') reads += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const app = express().get(
      '/read',
      projectionLag(createProjectionProgress(counted), ['orders']),
      (_req, res) => void res.json({}),
    );
    const server = await listen(app);
    try {
      // 40 readers wait half a second for an event never applied: alone, each would look 10 times.
      const answers = await Promise.all(
        Array.from({ length: 40 }, () =>
          fetch(`${server.url}/read?waitMs=500`, { headers: { [MIN_POSITION_HEADER]: 'some.orders/0/100' } }),
        ),
      );
      expect(answers.map((a) => a.headers.get(STALE_HEADER))).toEqual(Array(40).fill('true'));
      expect(reads).toBeLessThan(60);
    } finally {
      await server.close();
    }
  });
});

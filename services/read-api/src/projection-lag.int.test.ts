import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Producer } from 'kafkajs';
import { topicNames } from '@cdp/contracts';
import { createMetrics, hashSecret } from '@cdp/http';
import { createKafka } from '@cdp/kafka';
import { createLogger } from '@cdp/logging';
import { defaultCollections, progressCollection, watchLogEnds, type OrderDoc } from '@cdp/read-models';
import { createTestDb, listen, resolveInfra, uniqueName, type Listening, type TestDb } from '@cdp/testing';
import { createApp } from './app';
import { orderDoc } from './read-model-docs.test-helper';

const KEY = 'key-lag-tenant';

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
  const applied = (appliedOffset: number) =>
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
    await testDb.db
      .collection<{ _id: string; tenantId: string; revokedAt: null }>('api_keys')
      .insertOne({ _id: hashSecret(KEY), tenantId: 't1', revokedAt: null });
    await testDb.db
      .collection<OrderDoc>(defaultCollections.orders)
      .insertOne(orderDoc('t1', { orderId: '2000' }));
    logEnds = watchLogEnds(admin, [topic], { intervalMs: 60_000 });
    server = await listen(
      createApp({
        db: testDb.db,
        log: createLogger('test', 'silent'),
        metrics: createMetrics('test'),
        checks: [],
        lagCacheMs: 0,
        logEnds,
      }),
    );
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
});

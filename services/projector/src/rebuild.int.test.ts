import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Kafka } from 'kafkajs';
import { topicNames, type TopicNames } from '@cdp/contracts';
import { createEventCodec, createKafka, ensureTopics, pipelineTopics, type EventCodec } from '@cdp/kafka';
import { createLogger } from '@cdp/logging';
import { currentGeneration, pendingRebuild } from '@cdp/read-models';
import { sampleOrder } from '@cdp/contracts';
import { createTestDb, resolveInfra, uniqueName, type TestDb } from '@cdp/testing';
import { rebuild } from './rebuild';
import { rebuildCustomer } from './rebuild-customer';
import { orderCreated } from './order-created.test-helper';

describe('a rebuild whose writes the store refuses', { timeout: 60_000 }, () => {
  let topics: TopicNames;
  let prefix: string;
  let kafka: Kafka;
  let admin: Admin;
  let codec: EventCodec;
  let store: TestDb;

  beforeAll(async () => {
    const infra = await resolveInfra();
    prefix = `${uniqueName('rebuild-crash')}.`;
    topics = topicNames(prefix);
    kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: prefix });
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, pipelineTopics(topics, 1));
    codec = await createEventCodec({ registryUrl: infra.schemaRegistryUrl, topics });
    store = await createTestDb(infra.mongoUri, { prefix: 'rebuild_crash' });
  });

  afterAll(async () => {
    await admin?.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin?.disconnect();
    await store?.cleanup();
  });

  it('fails with the reason instead of waiting forever, and switches nothing', async () => {
    const producer = kafka.producer();
    await producer.connect();
    // Valid by the contract, but its id cannot be a field name in the store: the buyer's write of
    // its contribution is refused, and no retry or consumer restart can change that.
    for (const orderId of ['1001', '$poison'])
      await producer.send({
        topic: topics.orders,
        messages: [{ key: `t1:${orderId}`, value: await codec.encode(orderCreated(orderId)) }],
      });
    await producer.disconnect();

    const result = await rebuild(
      {
        kafka,
        admin,
        db: store.db,
        codec,
        topics,
        topicPrefix: prefix,
        log: createLogger('rebuild-crash-test', 'silent'),
        metrics: { applied: () => undefined, lastAppliedAt: () => undefined },
      },
      { switchWhenDone: true, restart: true, pollMs: 100 },
    );

    expect(result.status).toBe('failed');
    expect(result.status === 'failed' && result.reason).toMatch(/^ERR_PROJECTOR_WRITE_REFUSED: .*\$poison/);
    expect(await currentGeneration(store.db)).toBe('');
    expect(await pendingRebuild(store.db)).toBe(result.suffix);
  });

  it("rebuilds one customer though another tenant's event cannot be decoded", async () => {
    const event = orderCreated('3001');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: topics.orders,
      messages: [
        { key: 't2:555', value: Buffer.from('not an event') },
        {
          key: 't3:3001',
          value: await codec.encode({ ...event, metadata: { ...event.metadata, tenantId: 't3' } }),
        },
      ],
    });
    await producer.disconnect();
    const deps = { kafka, admin, db: store.db, codec, topics };
    const buyer = sampleOrder.buyer?.customerId ?? '';

    expect(await rebuildCustomer(deps, 't3', buyer)).toEqual({ applied: 1 });
    // The store refuses t1's $poison order: the run ends saying so instead of retrying forever.
    await expect(rebuildCustomer(deps, 't1', buyer)).rejects.toThrow(/stays without documents/);
  });
});

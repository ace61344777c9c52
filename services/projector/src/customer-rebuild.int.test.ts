import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { sampleOrder, topicNames, type TopicNames } from '@cdp/contracts';
import { createEventCodec, createKafka, ensureTopics, pipelineTopics, type EventCodec } from '@cdp/kafka';
import { createLogger } from '@cdp/logging';
import { collectionsFor, customerDocId, readModelSnapshot, type CustomerDoc } from '@cdp/read-models';
import { createTestDb, resolveInfra, uniqueName, waitFor, type TestDb } from '@cdp/testing';
import { customerRebuildRequests } from './customer-rebuild-requests';
import { runCustomerRebuilds } from './customer-rebuild-runner';
import { createGenerationProjector, type GenerationDeps } from './generation-projector';
import { orderCreated } from './order-created.test-helper';
import { rebuild } from './rebuild';
import { rebuildCustomer } from './rebuild-customer';
import { superviseProjector, type SupervisedProjector } from './supervised-projector';

const log = createLogger('customer-rebuild-test', 'silent');
const buyer = sampleOrder.buyer?.customerId ?? '';

describe('rebuilding one customer beside the live projector', { timeout: 90_000 }, () => {
  let topics: TopicNames;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let codec: EventCodec;
  let store: TestDb;
  let deps: GenerationDeps;
  let live: SupervisedProjector;

  const produceOrder = async (orderId: string) =>
    producer.send({
      topic: topics.orders,
      messages: [{ key: `t1:${orderId}`, value: await codec.encode(orderCreated(orderId)) }],
    });
  const customer = () =>
    store.db.collection<CustomerDoc>(collectionsFor().customers).findOne({ _id: customerDocId('t1', buyer) });

  beforeAll(async () => {
    const infra = await resolveInfra();
    const prefix = `${uniqueName('customer-rebuild')}.`;
    topics = topicNames(prefix);
    kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: prefix });
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, pipelineTopics(topics, 2));
    producer = kafka.producer();
    await producer.connect();
    codec = await createEventCodec({ registryUrl: infra.schemaRegistryUrl, topics });
    store = await createTestDb(infra.mongoUri, { prefix: 'customer_rebuild' });
    deps = {
      kafka,
      db: store.db,
      codec,
      topics,
      topicPrefix: prefix,
      log,
      metrics: { applied: () => undefined, lastAppliedAt: () => undefined },
    };
    live = superviseProjector((onCrash) => createGenerationProjector(deps, '', { onCrash }), { log });
    await live.start();
  });

  afterAll(async () => {
    await live?.stop();
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin?.disconnect();
    await store?.cleanup();
  });

  it('keeps the orders that arrive while it runs and ends where a full rebuild ends', async () => {
    for (const orderId of ['4001', '4002']) await produceOrder(orderId);
    await waitFor(async () => (await customer())?.totalOrders === 2, { description: 'two orders projected' });
    // A damaged profile: the rebuild must rewrite it from the log.
    await store.db
      .collection<CustomerDoc>(collectionsFor().customers)
      .updateOne({ _id: customerDocId('t1', buyer) }, { $set: { totalOrders: 99 } });

    const requests = customerRebuildRequests(store.db);
    const id = await requests.request('t1', buyer);
    await runCustomerRebuilds(
      requests,
      (tenantId, customerId) =>
        rebuildCustomer({ ...deps, admin }, tenantId, customerId, {
          exclusive: async (work) => {
            // After the log was read to its end: one order the live projector applies before the
            // rebuild's turn, and one it applies only after.
            await produceOrder('4003');
            await waitFor(
              async () =>
                (await store.db.collection(collectionsFor().orders).countDocuments({ orderId: '4003' })) ===
                1,
              { description: 'the live projector to apply order 4003' },
            );
            await produceOrder('4004');
            return live.exclusive(work);
          },
        }),
      log,
    );

    expect(await requests.get(id)).toMatchObject({ state: 'done', applied: 4, attempts: 1 });
    await waitFor(async () => (await customer())?.totalOrders === 4, { description: 'four orders' });
    const full = await rebuild({ ...deps, admin }, { switchWhenDone: false, restart: true, pollMs: 100 });
    expect(full.status).toBe('built');
    if (full.status !== 'built') return;
    expect(await readModelSnapshot(store.db, '')).toEqual(await readModelSnapshot(store.db, full.suffix));
  });

  it('runs again a request whose runner died, and gives it up after three runs', async () => {
    const requests = customerRebuildRequests(store.db);
    const id = await requests.request('t9', 'nobody');
    for (const attempts of [1, 2, 3]) {
      expect(await requests.claim()).toMatchObject({ _id: id, state: 'running', attempts });
    }
    expect(await requests.claim()).toBeNull();
    expect(await requests.get(id)).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/^ERR_REBUILD_ABANDONED/) as unknown,
    });
  });
});

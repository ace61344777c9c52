import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { topicNames, type DomainEvent, type TopicNames } from '@cdp/contracts';
import { createEventCodec, createKafka, ensureTopics, pipelineTopics, type EventCodec } from '@cdp/kafka';
import { createLogger } from '@cdp/logging';
import { collectionsFor, type OrderDoc } from '@cdp/read-models';
import {
  createTestDb,
  deleteRegistrySubjects,
  readTopics,
  resolveInfra,
  uniqueName,
  waitFor,
  type TestDb,
} from '@cdp/testing';
import { createProgressWriter } from './progress-writer';
import { createProjector } from './projector';
import { createReadModelWriter } from './read-model-writer';
import { createReceiptCounter } from './receipt-counter';
import { superviseProjector, type SupervisedProjector } from './supervised-projector';
import { orderCreated } from './order-created.test-helper';
import { createParkingLot } from './parking-lot';

describe('poison events', () => {
  let topics: TopicNames;
  let prefix: string | undefined;
  let registryUrl: string;
  let admin: Admin;
  let producer: Producer;
  let codec: EventCodec;
  let store: TestDb;
  let projector: SupervisedProjector;
  let kafka: Kafka;

  beforeAll(async () => {
    const infra = await resolveInfra();
    registryUrl = infra.schemaRegistryUrl;
    prefix = `${uniqueName('poison')}.`;
    topics = topicNames(prefix);
    kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'poison-test' });
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, pipelineTopics(topics, 1));
    producer = kafka.producer();
    await producer.connect();
    codec = await createEventCodec({ registryUrl: infra.schemaRegistryUrl, topics });
    store = await createTestDb(infra.mongoUri, { prefix: 'poison' });
    const writer = createReadModelWriter(store.db, collectionsFor());
    // An invariant the store refuses for one order only: it must park that key and nothing else.
    // Another order breaks the writer's flush as a bug would: kafkajs then gives up on the consumer.
    let flushBreaks = false;
    const faulty = {
      ...writer,
      apply: (event: DomainEvent, position: { partition: number; offset: number }) => {
        if (event.metadata.aggregateId === 'breaks-invariant') throw new Error('invariant broken');
        if (event.metadata.aggregateId === 'breaks-flush') flushBreaks = true;
        return writer.apply(event, position);
      },
      discard: () => {
        flushBreaks = false;
        writer.discard();
      },
      flush: async () => {
        if (flushBreaks) throw new TypeError('flush bug');
        return writer.flush();
      },
    };
    projector = superviseProjector(
      (onCrash) =>
        Promise.resolve(
          createProjector({
            kafka,
            db: store.db,
            codec,
            writer: faulty,
            progress: createProgressWriter(store.db, ''),
            topics,
            groupId: `${topics.orders}-projector`,
            log: createLogger('poison-test', 'silent'),
            metrics: { applied: () => undefined, lastAppliedAt: () => undefined },
            collections: collectionsFor(),
            maxAttempts: 2,
            backoff: { baseMs: 10, maxMs: 20 },
            onCrash,
          }),
        ),
      { log: createLogger('poison-test', 'silent'), restartDelayMs: 100 },
    );
    await projector.start();
  });

  afterAll(async () => {
    await projector?.stop();
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin?.disconnect();
    await store?.cleanup();
    if (prefix) await deleteRegistrySubjects(registryUrl, [prefix]);
  });

  const send = async (key: string, value: Buffer) => {
    await producer.send({ topic: topics.orders, messages: [{ key, value }] });
  };

  it('parks an undecodable event and the later events of its key, while other keys flow', async () => {
    await send('t1:o-bad', Buffer.from('not avro at all'));
    await send('t1:o-bad', await codec.encode(orderCreated('o-bad')));
    await send('t1:o-good', await codec.encode(orderCreated('o-good')));

    const orders = store.db.collection<OrderDoc>('orders');
    await waitFor(() => orders.findOne({ _id: 't1:o-good' }), {
      timeoutMs: 30_000,
      description: 'the healthy key to be applied',
    });
    const parked = await waitFor(
      async () => {
        const list = await projector.current.parkingLot.list({ topic: topics.orders, key: 't1:o-bad' });
        return list.length === 2 ? list : null;
      },
      { timeoutMs: 30_000, description: 'both events of the poisoned key to be parked' },
    );
    expect(parked.map((p) => p.reason)).toEqual([
      expect.stringMatching(/^ERR_CODEC_UNDECODABLE|^ERR_CODEC_INVALID_EVENT/),
      expect.stringMatching(/^ERR_PROJECTOR_KEY_PARKED/),
    ]);
    expect(await orders.findOne({ _id: 't1:o-bad' })).toBeNull();
    // In the dead-letter topic as they came, each marked with how to read it.
    const dead = await readTopics(kafka, [topics.deadLetter], 2);
    expect(dead.map((r) => [r.key, r.headers['x-dlq-format']])).toEqual([
      ['t1:o-bad', 'unknown'],
      ['t1:o-bad', 'avro'],
    ]);
  });

  it('parks an event that keeps failing after bounded retries, and a replay reports why it still fails', async () => {
    await send('t1:breaks-invariant', await codec.encode(orderCreated('breaks-invariant')));
    await send('t1:after', await codec.encode(orderCreated('after')));
    await waitFor(() => store.db.collection<OrderDoc>('orders').findOne({ _id: 't1:after' }), {
      timeoutMs: 30_000,
    });
    const [parked] = await waitFor(async () => {
      const list = await projector.current.parkingLot.list({ key: 't1:breaks-invariant' });
      return list.length === 1 ? list : null;
    });
    expect(parked?.reason).toMatch(/^ERR_PROJECTOR_APPLY_FAILED: invariant broken/);

    const replay = await projector.current.replayParked(topics.orders, 't1:breaks-invariant');
    expect(replay).toEqual({
      applied: 0,
      remaining: 1,
      error: 'ERR_PROJECTOR_APPLY_FAILED: invariant broken',
    });
  });

  it('replaces a consumer that kafkajs gave up on, and parks the event that keeps killing it', async () => {
    await send('t1:breaks-flush', await codec.encode(orderCreated('breaks-flush')));
    await send('t1:after-crash', await codec.encode(orderCreated('after-crash')));
    const [parked] = await waitFor(
      async () => {
        const list = await projector.current.parkingLot.list({ key: 't1:breaks-flush' });
        return list.length === 1 ? list : null;
      },
      { timeoutMs: 60_000, description: 'the event that crashes the consumer to be parked' },
    );
    expect(parked?.reason).toMatch(/^ERR_PROJECTOR_CRASH_LOOP/);
    await waitFor(() => store.db.collection<OrderDoc>('orders').findOne({ _id: 't1:after-crash' }), {
      timeoutMs: 30_000,
      description: 'the next key to be applied by the replacement consumer',
    });
    expect(await store.db.collection<OrderDoc>('orders').findOne({ _id: 't1:breaks-flush' })).toBeNull();
  });

  it('parks the key of an event a crash left parked without it, as it restarts', async () => {
    const names = { parkedEvents: 'parked_alone_events', parkedKeys: 'parked_alone_keys' };
    await store.db.collection(names.parkedEvents).insertOne({
      _id: `${topics.orders}/0/41` as never,
      topic: topics.orders,
      partition: 0,
      offset: 41,
      key: 't1:alone',
      value: null,
      headers: {},
      reason: 'ERR_PROJECTOR_APPLY_FAILED: invariant broken',
      parkedAt: new Date().toISOString(),
    });
    const lot = createParkingLot(store.db, producer, topics.deadLetter, names);

    await lot.load();

    expect(lot.isParked(topics.orders, 't1:alone')).toBe(true);
    expect(await store.db.collection(names.parkedKeys).countDocuments({ key: 't1:alone' })).toBe(1);
  });

  it('counts receipts per partition so a crash loop is detected across restarts', async () => {
    const receipts = createReceiptCounter(store.db, 'receipts_test');
    expect(await receipts.receive('t', 0, 7)).toBe(1);
    expect(await receipts.receive('t', 0, 7)).toBe(2);
    expect(await receipts.receive('t', 0, 8)).toBe(1);
    expect(await receipts.receive('t', 1, 8)).toBe(1);
  });
});

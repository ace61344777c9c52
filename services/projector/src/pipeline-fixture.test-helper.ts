import { createMetrics } from '@cdp/http';
import type { Admin, Kafka } from 'kafkajs';
import { topicNames, type TopicNames } from '@cdp/contracts';
import { createEventCodec, createKafka, ensureTopics, pipelineTopics, type EventCodec } from '@cdp/kafka';
import { createLogger } from '@cdp/logging';
import {
  createTestDb,
  deleteGroupsUnder,
  deleteRegistrySubjects,
  resolveInfra,
  uniqueName,
  waitFor,
  type TestDb,
} from '@cdp/testing';
import { progressCollection } from '@cdp/read-models';
import type { GenerationDeps } from './generation-projector';
import { orderCreated } from './order-created.test-helper';
import { watchProjectionHealth } from './projection-health';

export interface PipelineFixture {
  prefix: string;
  topics: TopicNames;
  kafka: Kafka;
  /** Connected. */
  admin: Admin;
  codec: EventCodec;
  store: TestDb;
  /** What a generation's projector or a rebuild needs, over the fixture, logging nothing. */
  deps: GenerationDeps;
  /** Deletes the topics and the database. */
  cleanup(): Promise<void>;
}

/** A test file's own topics (`partitions` each) and database, named after `name`. */
export async function openPipelineFixture(name: string, partitions = 1): Promise<PipelineFixture> {
  const infra = await resolveInfra();
  const prefix = `${uniqueName(name)}.`;
  const topics = topicNames(prefix);
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: prefix });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, pipelineTopics(topics, partitions));
  const codec = await createEventCodec({ registryUrl: infra.schemaRegistryUrl, topics });
  const store = await createTestDb(infra.mongoUri, { prefix: name.replaceAll('-', '_') });
  return {
    prefix,
    topics,
    kafka,
    admin,
    codec,
    store,
    deps: {
      kafka,
      admin,
      db: store.db,
      codec,
      topics,
      topicPrefix: prefix,
      log: createLogger(`${name}-test`, 'silent'),
      metrics: { applied: () => undefined, lastAppliedAt: () => undefined },
    },
    async cleanup() {
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      // Every group a test reads with is named under the prefix (its generations', its own).
      await deleteGroupsUnder(admin, prefix);
      await admin.disconnect();
      await store.cleanup();
      await deleteRegistrySubjects(infra.schemaRegistryUrl, [prefix]);
    },
  };
}

/** Sends `OrderCreated` of each order id, in order, to the fixture's orders topic (tenant `t1`). */
export async function produceOrders(fixture: PipelineFixture, ids: string[]): Promise<void> {
  const producer = fixture.kafka.producer();
  await producer.connect();
  try {
    for (const id of ids)
      await producer.send({
        topic: fixture.topics.orders,
        messages: [{ key: `t1:${id}`, value: await fixture.codec.encode(orderCreated(id)) }],
      });
  } finally {
    await producer.disconnect();
  }
}

/** The last offset of the orders topic's partition 0 the live generation applied. */
export const appliedOrders = async (fixture: PipelineFixture) =>
  (await progressCollection(fixture.store.db).findOne({ _id: `${fixture.topics.orders}/0` }))?.appliedOffset;

/**
 * Appends a record to partition 0 of `topic` in a transaction and aborts it (a read_committed
 * consumer is handed neither the record nor the abort marker). Resolves to the log's end once the
 * marker is in it: the coordinator writes markers after `abort()` has resolved.
 */
export async function appendAbortedTransaction(fixture: PipelineFixture, topic: string): Promise<number> {
  const logEnd = async () => Number((await fixture.admin.fetchTopicOffsets(topic))[0]?.high);
  const end = (await logEnd()) + 2;
  const producer = fixture.kafka.producer({
    transactionalId: `${fixture.prefix}aborting`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const transaction = await producer.transaction();
  await transaction.send({
    topic,
    messages: [{ key: 't1:aborted', value: 'never committed', partition: 0 }],
  });
  await transaction.abort();
  await producer.disconnect();
  await waitFor(async () => (await logEnd()) === end, { description: `the abort marker in ${topic}` });
  return end;
}

/** The live generation's health over the fixture, read every 100 ms, its gauges in `metrics` (prefix `test`). */
export function watchFixtureHealth(fixture: PipelineFixture, opts: { checkpointsMs: number }) {
  const metrics = createMetrics('test');
  const health = watchProjectionHealth({
    admin: fixture.admin,
    db: fixture.store.db,
    topics: fixture.topics,
    topicPrefix: fixture.prefix,
    generation: () => '',
    metrics,
    log: createLogger(`${fixture.prefix}health`, 'silent'),
    every: { gaugesMs: 100, checkpointsMs: opts.checkpointsMs, logEndsMs: 100 },
  });
  return { metrics, health };
}

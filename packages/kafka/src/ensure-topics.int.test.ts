import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '@cdp/contracts';
import { resolveInfra, uniqueName } from '@cdp/testing';
import { createKafka } from './kafka-client';
import { ensureTopics, MAX_RECORD_BYTES, pipelineTopics } from './ensure-topics';

/** kafkajs's `ConfigResourceTypes.TOPIC` (its enum is not an ESM export under Node). */
const TOPIC_RESOURCE = 2;

describe('ensuring the pipeline topics', () => {
  let kafka: Kafka;
  let admin: Admin;
  const specs = pipelineTopics(topicNames(`${uniqueName('ensure')}.`), 2);

  beforeAll(async () => {
    const infra = await resolveInfra();
    kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: uniqueName('ensure-topics') });
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: specs.map((s) => s.topic) }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates what is missing and accepts it as it is on the next start', async () => {
    await ensureTopics(admin, specs);
    await ensureTopics(admin, specs);
    const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.topic) });
    expect(topics.map((t) => t.partitions.length).sort()).toEqual(specs.map((s) => s.numPartitions).sort());
  });

  it('takes a webhook body at its 1 MB limit, with its headers, in the raw and dead-letter topics', async () => {
    await ensureTopics(admin, specs);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const message = {
        key: 'shop:order:1',
        value: Buffer.alloc(1024 * 1024, 'x'),
        headers: { 'x-tenant-id': 'shop', 'x-dlq-reason': 'ERR_X: '.padEnd(500, 'x') },
      };
      for (const topic of [specs[0]!.topic, specs.at(-1)!.topic])
        await expect(producer.send({ topic, acks: -1, messages: [message] }), topic).resolves.toBeDefined();
    } finally {
      await producer.disconnect();
    }
  });

  it('refuses topics with fewer replicas than asked for, naming them', async () => {
    const replicated = pipelineTopics(topicNames(`${uniqueName('ensure')}.`), 2, 2);
    // This broker is alone: topics of one replica are what there is.
    await ensureTopics(
      admin,
      replicated.map(({ replicationFactor: _, ...spec }) => ({ ...spec, configEntries: [] })),
    );
    try {
      const refused = ensureTopics(admin, replicated);
      await expect(refused).rejects.toMatchObject({ code: 'ERR_KAFKA_TOPIC_REPLICATION', retriable: false });
      await expect(refused).rejects.toThrow(`${replicated[0]!.topic} has 1 replicas, not 2`);
    } finally {
      await admin.deleteTopics({ topics: replicated.map((s) => s.topic) });
    }
  });

  it('refuses topics that gained partitions, naming them', async () => {
    await ensureTopics(admin, specs);
    const orders = specs[2]!;
    await admin.createPartitions({ topicPartitions: [{ topic: orders.topic, count: 3 }] });
    const refused = ensureTopics(admin, specs);
    await expect(refused).rejects.toMatchObject({ code: 'ERR_KAFKA_TOPIC_PARTITIONS', retriable: false });
    await expect(refused).rejects.toThrow(`${orders.topic} has 3, not 2`);
  });

  it('refuses topics that keep events for less than ever, naming them and the value', async () => {
    const own = pipelineTopics(topicNames(`${uniqueName('ensure')}.`), 1);
    await ensureTopics(admin, own);
    try {
      const orders = own[2]!.topic;
      // kafkajs's alterConfigs replaces the topic's whole config: the others are given as they were.
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: TOPIC_RESOURCE,
            name: orders,
            configEntries: [
              { name: 'cleanup.policy', value: 'delete' },
              { name: 'retention.ms', value: '604800000' },
              { name: 'retention.bytes', value: '-1' },
              { name: 'max.message.bytes', value: String(MAX_RECORD_BYTES) },
            ],
          },
        ],
      });
      const refused = ensureTopics(admin, own);
      await expect(refused).rejects.toMatchObject({ code: 'ERR_KAFKA_TOPIC_CONFIG', retriable: false });
      await expect(refused).rejects.toThrow(`${orders} has retention.ms=604800000, not -1`);
    } finally {
      await admin.deleteTopics({ topics: own.map((s) => s.topic) });
    }
  });
});

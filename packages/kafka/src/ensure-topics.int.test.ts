import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '@cdp/contracts';
import { resolveInfra, uniqueName } from '@cdp/testing';
import { createKafka } from './kafka-client';
import { ensureTopics, pipelineTopics } from './ensure-topics';

describe('ensuring the pipeline topics', () => {
  let admin: Admin;
  const specs = pipelineTopics(topicNames(`${uniqueName('ensure')}.`), 2);

  beforeAll(async () => {
    const infra = await resolveInfra();
    admin = createKafka({ brokers: infra.kafkaBrokers, clientId: uniqueName('ensure-topics') }).admin();
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

  it('refuses topics that gained partitions, naming them', async () => {
    const orders = specs[2]!;
    await admin.createPartitions({ topicPartitions: [{ topic: orders.topic, count: 3 }] });
    const refused = ensureTopics(admin, specs);
    await expect(refused).rejects.toMatchObject({ code: 'ERR_KAFKA_TOPIC_PARTITIONS', retriable: false });
    await expect(refused).rejects.toThrow(`${orders.topic} has 3, not 2`);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Kafka } from 'kafkajs';
import { createKafka } from '@cdp/kafka';
import { createTestTopic, resolveInfra, type TestTopic } from '@cdp/testing';
import { partitionEndPosition } from './command-position';

let kafka: Kafka;
let admin: Admin;
let topic: TestTopic;

beforeAll(async () => {
  kafka = createKafka({ brokers: (await resolveInfra()).kafkaBrokers, clientId: 'command-position-test' });
  admin = kafka.admin();
  await admin.connect();
  topic = await createTestTopic(admin, { partitions: 3, prefix: 'command-position' });
}, 60_000);

afterAll(async () => {
  await topic?.cleanup();
  await admin?.disconnect();
});

describe("a push without an event of its own waits for its aggregate's partition end", () => {
  it("finds the partition the producer wrote the key to, and that partition's last offset", async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const keys = Array.from({ length: 12 }, (_, i) => `shop-a:${1000 + i}`);
      const written = new Map<string, string>();
      for (const key of keys) {
        const [meta] = await producer.send({ topic: topic.topic, acks: -1, messages: [{ key, value: key }] });
        written.set(key, `${meta?.partition}`);
      }
      // Every partition got some keys, so the partitioner was really asked.
      expect(new Set(written.values()).size).toBe(3);
      const ends = await admin.fetchTopicOffsets(topic.topic);
      for (const key of keys) {
        const partition = Number(written.get(key));
        const end = ends.find((e) => e.partition === partition)?.high;
        expect(await partitionEndPosition(admin, topic.topic, key)).toBe(
          `${topic.topic}/${partition}/${Number(end) - 1}`,
        );
      }
    } finally {
      await producer.disconnect();
    }
  });
});

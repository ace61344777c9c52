import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '@cdp/kafka';
import { createTestTopic, resolveInfra, uniqueName, type TestTopic } from '@cdp/testing';
import { createRawLog } from './raw-log';
import type { RawRecord } from './raw-record';

/** Everything the topic holds, read from the start with a throwaway group. */
async function readAll(kafka: Kafka, topic: string, expected: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('raw-log-reader') });
  const keys: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: ({ message }) => {
        keys.push(String(message.key));
        if (keys.length === expected) resolve();
        return Promise.resolve();
      },
    });
  });
  await done;
  await consumer.disconnect();
  return keys;
}

describe('the raw log', () => {
  let kafka: Kafka;
  let admin: Admin;
  let testTopic: TestTopic;

  beforeAll(async () => {
    kafka = createKafka({ brokers: (await resolveInfra()).kafkaBrokers, clientId: 'raw-log-test' });
    admin = kafka.admin();
    await admin.connect();
    // One partition: every record of a send in one batch, which the broker takes only up to 1 MB.
    testTopic = await createTestTopic(admin, { partitions: 1, prefix: 'raw-log' });
  });
  afterAll(async () => {
    await testTopic?.cleanup();
    await admin?.disconnect();
  });

  it('takes a burst of large deliveries and a page of large orders, more than the broker takes in one batch', async () => {
    const rawLog = await createRawLog(kafka, testTopic.topic);
    const record = (key: string): RawRecord => ({
      key,
      body: Buffer.alloc(60 * 1024, 'x'),
      tenantId: 'shop',
      haravanTopic: 'orders/create',
      orgId: '1',
      source: 'webhook',
      receivedAt: new Date().toISOString(),
    });
    try {
      const page = Array.from({ length: 25 }, (_, i) => record(`page-${i}`));
      const deliveries = Array.from({ length: 25 }, (_, i) => [record(`delivery-${i}`)]);
      // 3 MB in all, appended at once.
      await Promise.all([rawLog.append(page), ...deliveries.map((d) => rawLog.append(d))]);

      expect(await readAll(kafka, testTopic.topic, 50)).toEqual([
        ...page.map((r) => r.key),
        ...deliveries.map(([r]) => r?.key),
      ]);
    } finally {
      await rawLog.close();
    }
  });
});

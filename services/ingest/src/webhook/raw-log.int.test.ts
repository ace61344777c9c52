import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '@cdp/kafka';
import { createTestTopic, deleteGroup, resolveInfra, uniqueName, type TestTopic } from '@cdp/testing';
import { createRawLog } from './raw-log';
import type { RawRecord } from './raw-record';

/** Everything the topic holds, read from the start with a throwaway group. */
async function readAll(kafka: Kafka, topic: string, expected: number): Promise<string[]> {
  const groupId = uniqueName('raw-log-reader');
  const consumer = kafka.consumer({ groupId });
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
  await deleteGroup(kafka, groupId);
  return keys;
}

const record = (key: string, bytes = 60 * 1024): RawRecord => ({
  key,
  body: Buffer.alloc(bytes, 'x'),
  tenantId: 'shop',
  haravanTopic: 'orders/create',
  orgId: '1',
  source: 'webhook',
  receivedAt: new Date().toISOString(),
});

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

  it('answers an append being sent at close by the broker, and refuses only those still waiting', async () => {
    const closing = await createTestTopic(admin, { partitions: 1, prefix: 'raw-log-close' });
    // One record a send: the second append waits while the first is sent.
    const rawLog = await createRawLog(kafka, closing.topic, { records: 1, bytes: 1024 * 1024 });
    try {
      const sent = rawLog.append([record('sent', 10)]);
      const waiting = rawLog.append([record('waiting', 10)]);
      await expect(rawLog.append([])).resolves.toBeUndefined();
      await rawLog.close();
      await expect(sent).resolves.toBeUndefined();
      await expect(waiting).rejects.toMatchObject({ code: 'ERR_INGEST_CLOSING', retriable: true });
      await expect(rawLog.append([record('late', 10)])).rejects.toMatchObject({ code: 'ERR_INGEST_CLOSING' });
      expect(await readAll(kafka, closing.topic, 1)).toEqual(['sent']);
      expect((await admin.fetchTopicOffsets(closing.topic)).map((p) => p.high)).toEqual(['1']);
    } finally {
      await closing.cleanup();
    }
  });

  it('refuses an append at once while too much waits for Kafka, and takes appends again once it is in', async () => {
    // Room for one 60 KB record waiting, not two; the first is taken whatever its size.
    const rawLog = await createRawLog(kafka, testTopic.topic, undefined, 100 * 1024);
    try {
      const first = rawLog.append([record('backlog-1')]);
      await expect(rawLog.append([record('backlog-2')])).rejects.toMatchObject({
        code: 'ERR_INGEST_BACKLOG',
        retriable: true,
      });
      await first;
      await expect(rawLog.append([record('backlog-3')])).resolves.toBeUndefined();
      await expect(
        createRawLog(kafka, testTopic.topic, undefined, 1024).then(async (small) => {
          try {
            return await small.append([record('larger-than-the-bound')]);
          } finally {
            await small.close();
          }
        }),
      ).resolves.toBeUndefined();
    } finally {
      await rawLog.close();
    }
  });
});

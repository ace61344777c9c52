import type { Kafka } from 'kafkajs';
import { deleteGroup } from './delete-group.js';
import { uniqueName } from './unique-name.js';
import { waitFor } from './wait-for.js';

export interface ReadRecord {
  topic: string;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * What the topics hold (committed records only), read from the start with a throwaway group until
 * at least `expected` records have come.
 */
export async function readTopics(kafka: Kafka, names: string[], expected: number): Promise<ReadRecord[]> {
  const groupId = uniqueName('test-reader');
  const consumer = kafka.consumer({ groupId, readUncommitted: false });
  const seen: ReadRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: names, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ topic, message }) => {
      const headers = Object.fromEntries(
        Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
      );
      seen.push({
        topic,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        value: message.value,
        headers,
      });
      return Promise.resolve();
    },
  });
  try {
    await waitFor(() => seen.length >= expected, {
      timeoutMs: 30_000,
      intervalMs: 100,
      description: `${expected} records in ${names.join(', ')}`,
    });
    return seen;
  } finally {
    await consumer.disconnect();
    await deleteGroup(kafka, groupId);
  }
}

import type { Admin } from 'kafkajs';
import { uniqueName } from './unique-name.js';

export { waitFor, type WaitForOptions } from './wait-for.js';

export interface CreateTestTopicOptions {
  /** Number of partitions (default 3). */
  partitions?: number;
  /** Name prefix (default "test"). */
  prefix?: string;
  /** Extra topic configs, e.g. { 'cleanup.policy': 'compact' }. */
  configEntries?: Record<string, string>;
}

export interface TestTopic {
  topic: string;
  /**
   * Deletes the topic; never throws (a failure is reported with console.warn).
   * Call cleanups one after the other, not concurrently: kafkajs's admin refreshes metadata
   * for every topic it knows after a delete, so concurrent deletes on one admin client make
   * each other fail with UNKNOWN_TOPIC_OR_PARTITION.
   */
  cleanup: () => Promise<void>;
}

/**
 * Creates a topic with a unique name (replication factor 1) on the given connected admin
 * client and waits until its metadata (leaders for every partition) is visible.
 */
export async function createTestTopic(
  admin: Admin,
  options: CreateTestTopicOptions = {},
): Promise<TestTopic> {
  const topic = uniqueName(options.prefix ?? 'test');
  const numPartitions = options.partitions ?? 3;
  const configEntries = Object.entries(options.configEntries ?? {}).map(([name, value]) => ({
    name,
    value,
  }));
  const created = await admin.createTopics({
    topics: [{ topic, numPartitions, replicationFactor: 1, configEntries }],
    waitForLeaders: true,
  });
  if (!created) {
    throw new Error(`createTestTopic: topic ${topic} already existed`);
  }
  return {
    topic,
    cleanup: async () => {
      try {
        await admin.deleteTopics({ topics: [topic], timeout: 10_000 });
      } catch (err) {
        // kafkajs retries a delete whose follow-up metadata refresh failed; by then the topic
        // may already be gone, which is what we wanted.
        const gone = await admin.listTopics().then(
          (names) => !names.includes(topic),
          () => false,
        );
        if (!gone) console.warn(`createTestTopic: could not delete topic ${topic}:`, err);
      }
    },
  };
}

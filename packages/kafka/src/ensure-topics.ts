import type { Admin } from 'kafkajs';
import { AppError, type TopicNames } from '@cdp/contracts';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  configEntries?: { name: string; value: string }[];
}

/** The topics the pipeline needs and how they are kept: raw and domain events forever, state compacted. */
export function pipelineTopics(names: TopicNames, partitions: number): TopicSpec[] {
  const forever = [{ name: 'retention.ms', value: '-1' }];
  return [
    { topic: names.raw, numPartitions: partitions, configEntries: forever },
    {
      topic: names.ingestState,
      numPartitions: partitions,
      configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
    },
    { topic: names.orders, numPartitions: partitions, configEntries: forever },
    { topic: names.customers, numPartitions: partitions, configEntries: forever },
    { topic: names.products, numPartitions: partitions, configEntries: forever },
    { topic: names.deadLetter, numPartitions: 1, configEntries: forever },
  ];
}

/**
 * Creates what is missing and leaves existing topics alone, so every service may call it at start.
 * An existing topic must have the partitions the pipeline creates: with more, keys would have moved
 * to other partitions, and the read models, which order an aggregate's events by their offset, would
 * take the moved ones for older. So a service refuses to start on such topics.
 */
export async function ensureTopics(admin: Admin, specs: TopicSpec[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.topic));
  if (missing.length > 0) {
    try {
      await admin.createTopics({ topics: missing, waitForLeaders: true });
    } catch (error) {
      // Services starting together race to create the same topics; losing that race is fine.
      const nowExisting = new Set(await admin.listTopics());
      if (!missing.every((spec) => nowExisting.has(spec.topic))) throw error;
    }
  }
  const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.topic) });
  const partitionsOf = new Map(topics.map((t) => [t.name, t.partitions.length]));
  const changed = specs.filter((spec) => partitionsOf.get(spec.topic) !== spec.numPartitions);
  if (changed.length > 0)
    throw new AppError(
      'ERR_KAFKA_TOPIC_PARTITIONS',
      `topics with other partition counts than the pipeline creates: ${changed
        .map((spec) => `${spec.topic} has ${partitionsOf.get(spec.topic)}, not ${spec.numPartitions}`)
        .join('; ')}. Events of one key may now sit on two partitions and could be applied out of order; ` +
        'start on a new set of topics (TOPIC_PREFIX) and replay into it',
      false,
    );
}

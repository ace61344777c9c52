import type { Admin } from 'kafkajs';
import type { TopicNames } from '@cdp/contracts';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  configEntries?: { name: string; value: string }[];
}

/** The topics the pipeline needs and how they are kept: raw and domain events forever, state compacted. */
export function pipelineTopics(names: TopicNames, partitions = 6): TopicSpec[] {
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

/** Creates what is missing and leaves existing topics alone, so every service may call it at start. */
export async function ensureTopics(admin: Admin, specs: TopicSpec[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.topic));
  if (missing.length === 0) return;
  try {
    await admin.createTopics({ topics: missing, waitForLeaders: true });
  } catch (error) {
    // Services starting together race to create the same topics; losing that race is fine.
    const nowExisting = new Set(await admin.listTopics());
    if (!missing.every((spec) => nowExisting.has(spec.topic))) throw error;
  }
}

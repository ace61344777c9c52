import type { Admin, ConfigResourceTypes } from 'kafkajs';
import { AppError, type TopicNames } from '@cdp/contracts';
import { minInSyncReplicas, replicationShortfalls } from './replication-shortfalls';
import { checkedConfigNames, topicConfigShortfalls } from './topic-config-shortfalls';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  /** Absent: the broker's default (`default.replication.factor`, `min.insync.replicas`). */
  replicationFactor?: number;
  configEntries?: { name: string; value: string }[];
  /** Events are ordered by key within a partition: the count may never change (see ensureTopics). */
  keyed?: boolean;
}

/**
 * What one record may weigh in the topics that may carry a whole Haravan resource: a webhook body at
 * its 1 MB limit with its headers in the raw topic, parked in the dead-letter topic with the reason
 * added, or an event of a very large order. Kafka's default (1 MB, headers and batch framing
 * included) would refuse these for good.
 */
export const MAX_RECORD_BYTES = 4 * 1024 * 1024;

/**
 * The topics the pipeline needs and how they are kept: raw and domain events forever, state
 * compacted. Without a replication factor the broker's defaults apply.
 */
export function pipelineTopics(
  names: TopicNames,
  partitions: number,
  replicationFactor?: number,
): TopicSpec[] {
  const inSync =
    replicationFactor === undefined
      ? []
      : [{ name: 'min.insync.replicas', value: String(minInSyncReplicas(replicationFactor)) }];
  const forever = [
    { name: 'cleanup.policy', value: 'delete' },
    { name: 'retention.ms', value: '-1' },
    { name: 'retention.bytes', value: '-1' },
    { name: 'max.message.bytes', value: String(MAX_RECORD_BYTES) },
    ...inSync,
  ];
  const spec = (topic: string, numPartitions: number, configEntries: TopicSpec['configEntries']) => ({
    topic,
    numPartitions,
    ...(replicationFactor !== undefined && { replicationFactor }),
    configEntries,
  });
  return [
    { ...spec(names.raw, partitions, forever), keyed: true },
    spec(names.ingestState, partitions, [{ name: 'cleanup.policy', value: 'compact' }, ...inSync]),
    { ...spec(names.orders, partitions, forever), keyed: true },
    { ...spec(names.customers, partitions, forever), keyed: true },
    { ...spec(names.products, partitions, forever), keyed: true },
    spec(names.deadLetter, 1, forever),
  ];
}

/**
 * Creates what is missing and leaves existing topics alone, so every service may call it at start.
 * Existing topics must have at least the replicas, and in-sync replicas, asked for, and keep and
 * take records as asked (a topic made by hand, or by the broker's auto-creation, gets the broker's
 * defaults: a week's retention would lose events a replay from offset 0 needs).
 * An existing keyed topic must have the partitions configured: with more, keys would have moved to
 * other partitions, and the read models, which order an aggregate's events by their offset, would
 * take the moved ones for older. So a service refuses to start on such topics.
 */
export async function ensureTopics(admin: Admin, specs: TopicSpec[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.topic));
  if (missing.length > 0) {
    try {
      await admin.createTopics({
        topics: missing.map(({ keyed: _, ...spec }) => spec),
        waitForLeaders: true,
      });
    } catch (error) {
      // Services starting together race to create the same topics; losing that race is fine.
      const nowExisting = new Set(await admin.listTopics());
      if (!missing.every((spec) => nowExisting.has(spec.topic))) throw error;
    }
  }
  const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.topic) });
  // One read of the configs both checks look at.
  const configsOf = await topicConfigs(admin, specs, ['min.insync.replicas', ...checkedConfigNames(specs)]);
  checkReplication(specs, topics, configsOf);
  checkConfigs(specs, configsOf);
  const keyed = specs.filter((spec) => spec.keyed);
  const partitionsOf = new Map(topics.map((t) => [t.name, t.partitions.length]));
  const changed = keyed.filter((spec) => partitionsOf.get(spec.topic) !== spec.numPartitions);
  if (changed.length > 0)
    throw new AppError(
      'ERR_KAFKA_TOPIC_PARTITIONS',
      `topics with another partition count than TOPIC_PARTITIONS (${changed
        .map((spec) => `${spec.topic} has ${partitionsOf.get(spec.topic)}, not ${spec.numPartitions}`)
        .join('; ')}). If they were created so, set TOPIC_PARTITIONS to their count. If partitions ` +
        'were added, events of one key may sit on two partitions and be applied out of order, so these ' +
        'topics cannot be used as they are (schemas/README.md)',
      false,
    );
}

/** kafkajs's `ConfigResourceTypes.TOPIC`: its CommonJS module does not give the enum to an ESM import under Node. */
const TOPIC_RESOURCE: ConfigResourceTypes = 2;

type TopicMetadata = Awaited<ReturnType<Admin['fetchTopicMetadata']>>['topics'][number];

type ConfigsOf = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** The named configs of each spec's topic, as the broker has them (its defaults included). */
async function topicConfigs(admin: Admin, specs: TopicSpec[], configNames: string[]): Promise<ConfigsOf> {
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: specs.map((spec) => ({ type: TOPIC_RESOURCE, name: spec.topic, configNames })),
  });
  return new Map(
    resources.map((r) => [
      r.resourceName,
      new Map(r.configEntries.map((e) => [e.configName, e.configValue])),
    ]),
  );
}

/** Refuses existing topics with fewer replicas, or a lower `min.insync.replicas`, than their specs ask. */
function checkReplication(specs: TopicSpec[], topics: TopicMetadata[], configsOf: ConfigsOf): void {
  const asked = specs.filter((spec) => spec.replicationFactor !== undefined);
  if (asked.length === 0) return;
  const shortfalls = replicationShortfalls(
    asked,
    new Map(topics.map((t) => [t.name, Math.min(...t.partitions.map((p) => p.replicas.length))])),
    new Map(asked.map(({ topic }) => [topic, Number(configsOf.get(topic)?.get('min.insync.replicas') ?? 1)])),
  );
  if (shortfalls.length > 0)
    throw new AppError(
      'ERR_KAFKA_TOPIC_REPLICATION',
      `topics kept with less than TOPIC_REPLICATION_FACTOR asks (${shortfalls.join('; ')}): acks=all ` +
        'would not mean what it is taken to. Reassign their replicas (kafka-reassign-partitions) and set ' +
        'min.insync.replicas (kafka-configs), or set TOPIC_REPLICATION_FACTOR to what they have',
      false,
    );
}

/** Refuses existing topics that keep records for less time, or take smaller ones, than their specs ask. */
function checkConfigs(specs: TopicSpec[], configsOf: ConfigsOf): void {
  const shortfalls = topicConfigShortfalls(specs, configsOf);
  if (shortfalls.length > 0)
    throw new AppError(
      'ERR_KAFKA_TOPIC_CONFIG',
      `topics kept otherwise than the pipeline needs (${shortfalls.join('; ')}): events a replay from ` +
        'offset 0 needs would be deleted, or records ingest writes refused. Set them with kafka-configs ' +
        '--alter --entity-type topics --entity-name <topic> --add-config <name>=<value>',
      false,
    );
}

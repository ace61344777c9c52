import type { TopicSpec } from './ensure-topics';

/** Checked apart, with the replicas (replication-shortfalls.ts). */
const REPLICATION_CONFIGS = new Set(['min.insync.replicas']);

/** A limit a topic may exceed; every other config must be as asked. */
const AT_LEAST = new Set(['max.message.bytes']);

/** The configs `ensureTopics` checks on each existing topic. */
export const checkedConfigNames = (specs: readonly TopicSpec[]): string[] => [
  ...new Set(
    specs.flatMap((spec) =>
      (spec.configEntries ?? []).map((e) => e.name).filter((name) => !REPLICATION_CONFIGS.has(name)),
    ),
  ),
];

/**
 * What each existing topic has of its configs other than asked: kept for less time, compacted
 * where the log must keep every event (a replay from offset 0 would miss what it dropped), or
 * taking smaller records than ingest may write.
 */
export function topicConfigShortfalls(
  specs: readonly TopicSpec[],
  configsOf: ReadonlyMap<string, ReadonlyMap<string, string>>,
): string[] {
  return specs.flatMap(({ topic, configEntries = [] }) =>
    configEntries.flatMap(({ name, value }) => {
      if (REPLICATION_CONFIGS.has(name)) return [];
      const actual = configsOf.get(topic)?.get(name);
      if (actual === undefined) return [`${topic} has no ${name}, not ${value}`];
      const short = AT_LEAST.has(name) ? Number(actual) < Number(value) : actual !== value;
      return short ? [`${topic} has ${name}=${actual}, not ${value}`] : [];
    }),
  );
}

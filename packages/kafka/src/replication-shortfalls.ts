import type { TopicSpec } from './ensure-topics';

/**
 * Replicas that must have a record before acks=all answers: one fewer than the replicas, at most
 * two, so one broker may be down while writes go on.
 */
export const minInSyncReplicas = (replicationFactor: number) =>
  Math.max(1, Math.min(2, replicationFactor - 1));

/** What each topic lacks of the replicas and in-sync replicas its spec asks for. */
export function replicationShortfalls(
  specs: TopicSpec[],
  replicasOf: ReadonlyMap<string, number>,
  minInSyncOf: ReadonlyMap<string, number>,
): string[] {
  return specs.flatMap(({ topic, replicationFactor }) => {
    if (replicationFactor === undefined) return [];
    const replicas = replicasOf.get(topic) ?? 0;
    const inSync = minInSyncOf.get(topic) ?? 1;
    const wanted = minInSyncReplicas(replicationFactor);
    return [
      ...(replicas < replicationFactor
        ? [`${topic} has ${replicas} replicas, not ${replicationFactor}`]
        : []),
      ...(inSync < wanted ? [`${topic} has min.insync.replicas ${inSync}, not ${wanted}`] : []),
    ];
  });
}

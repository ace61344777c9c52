import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import type { Db } from 'mongodb';
import type { TopicNames } from '@cdp/contracts';
import type { Metrics, ReadinessCheck } from '@cdp/http';
import type { Logger } from '@cdp/logging';
import {
  collectionsFor,
  formatOf,
  knownLogEnd,
  partitionLagMs,
  pendingRebuild,
  progressCollection,
  projectedTopics,
  projectionHealthy,
  READ_MODEL_FORMAT,
  watchLogEnds,
  withUnstarted,
} from '@cdp/read-models';
import { findCheckpointsAhead } from './checkpoint-check';
import { generationGroupId } from './generation-projector';
import { keptLogRefusals } from './kept-log-refusals';

/** A checkpoint found ahead is looked at again after this long before it counts. */
const RECHECK_AFTER_MS = 2_000;

/**
 * How the live projection stands, for `/readyz` and `/metrics`: Kafka's log ends, read every second;
 * gauges every 5 s: per partition, lag in events and in ms, and the keys parked and how long the
 * oldest has waited (a parked event counts as handled, so no lag shows it), and whether the
 * generation was built by this release's derivation (`READ_MODEL_FORMAT`); and every 30 s the
 * check that no committed offset is past the applied events (such an offset means events were
 * skipped, which only a rebuild repairs).
 */
export function watchProjectionHealth(deps: {
  admin: Admin;
  db: Db;
  topics: TopicNames;
  topicPrefix: string;
  /** The generation the live projector writes; it changes when a rebuild switches. */
  generation: () => string;
  metrics: Metrics;
  log: Logger;
  every?: { gaugesMs: number; checkpointsMs: number; logEndsMs: number };
}): { checks: ReadinessCheck[]; stop(): void } {
  const every = deps.every ?? { gaugesMs: 5_000, checkpointsMs: 30_000, logEndsMs: 1_000 };
  const { db, log, metrics } = deps;
  const domainTopics = projectedTopics(deps.topics);
  /** Partitions seen with a log ending before what was applied: kept until a restart looks again. */
  const logsBehind = new Set<string>();
  /** Topics seen gaining partitions: kept likewise. */
  const partitionsAdded = new Set<string>();
  const flagLogBehind = (partition: string, detail: { logEndWas: number; logEnd: number }) => {
    if (logsBehind.has(partition)) return;
    logsBehind.add(partition);
    log.error(
      { partition, ...detail },
      "ERR_PROJECTOR_LOG_BEHIND: the log ends before events the read models applied: restore Kafka's data whole, or start on a fresh store",
    );
    unkept.set(partition, `its log end went down from ${detail.logEndWas} to ${detail.logEnd}`);
    void keepShrinks().catch((error: unknown) => log.warn({ err: error }, 'log-behind refusal not kept yet'));
  };
  /** Shrinks seen and not kept yet: tried again at each gauges round, the store may be away. */
  const unkept = new Map<string, string>();
  /**
   * Kept for the served generation and a rebuild under way, so their next start refuses them though
   * new events take the log past their progress; not for one that applied nothing there.
   */
  const keepShrinks = async () => {
    if (unkept.size === 0) return;
    const generations = new Set([deps.generation(), (await pendingRebuild(db)) ?? deps.generation()]);
    for (const [partition, reason] of unkept) {
      for (const suffix of generations) {
        const progress = await progressCollection(db, suffix).findOne({ _id: partition });
        if (progress && progress.appliedOffset >= 0)
          await keptLogRefusals(db, suffix).keep(partition, reason);
      }
      unkept.delete(partition);
    }
  };
  const logEnds = watchLogEnds(deps.admin, domainTopics, {
    intervalMs: every.logEndsMs,
    onError: (error) => log.warn({ err: error }, 'Kafka log ends not read'),
    // The topic was made again or Kafka lost its data while this process ran (at start it refuses):
    // kafkajs goes on from the new log's start, and the progress soon hides it. Only a log end seen
    // going down tells: progress read after an end may pass it without anything being wrong.
    onShrink: (partition, from, to) => flagLogBehind(partition, { logEndWas: from, logEnd: to }),
  });

  const setGauges = async () => {
    await keepShrinks();
    const now = Date.now();
    const docs = await progressCollection(db, deps.generation()).find({}).toArray();
    for (const doc of withUnstarted(docs, logEnds)) {
      const logEnd = logEnds.viewOf(doc._id, doc.appliedOffset);
      const labels = { topic: doc.topic, partition: String(doc.partition) };
      metrics.set('lag_events', Math.max(0, knownLogEnd(doc, logEnd) - doc.appliedOffset - 1), labels);
      metrics.set('lag_ms', partitionLagMs(doc, now, logEnd), labels);
    }
    const names = collectionsFor(deps.generation());
    const [parkedKeys, oldest] = await Promise.all([
      db.collection(names.parkedKeys).countDocuments(),
      db
        .collection<{ parkedAt: string }>(names.parkedEvents)
        .find({}, { projection: { parkedAt: 1 } })
        .sort({ parkedAt: 1 })
        .limit(1)
        .next(),
    ]);
    metrics.set('logs_behind_progress', logsBehind.size);
    metrics.set('parked_keys', parkedKeys);
    const waited = oldest ? now - Date.parse(oldest.parkedAt) : 0;
    metrics.set('oldest_parked_event_age_seconds', Math.max(0, Math.round(waited / 1000)));
    await checkFormat();
  };

  let formatWarnedFor: string | null = null;
  /** A generation built by another derivation is served as it is: the operator is told to rebuild. */
  const checkFormat = async () => {
    const suffix = deps.generation();
    const built = await formatOf(db, suffix);
    metrics.set('read_model_format', built ?? 0);
    metrics.set('read_model_format_behind', built === READ_MODEL_FORMAT ? 0 : 1);
    if (built === READ_MODEL_FORMAT || formatWarnedFor === suffix) return;
    formatWarnedFor = suffix;
    log.warn(
      { generation: suffix || 'initial', builtBy: built, thisRelease: READ_MODEL_FORMAT },
      'the read models were built by another derivation than this release has (format ' +
        `${built ?? 'unrecorded'}, not ${READ_MODEL_FORMAT}); they are served as they are: rebuild them with pnpm replay`,
    );
  };
  const gauges = setInterval(
    () => void setGauges().catch((error: unknown) => log.warn({ err: error }, 'lag gauges not set')),
    every.gaugesMs,
  );

  let checkpointsHold = true;
  const checkCheckpoints = async () => {
    const suffix = deps.generation();
    const find = () =>
      findCheckpointsAhead(deps, generationGroupId(deps.topicPrefix, suffix), suffix, domainTopics);
    let ahead = await find();
    // kafkajs commits a batch of only transaction markers before the projector records its progress.
    if (ahead.length > 0) {
      await sleep(RECHECK_AFTER_MS);
      ahead = await find();
    }
    metrics.set('checkpoints_ahead', ahead.length);
    if (ahead.length > 0)
      log.error(
        { ahead },
        'ERR_PROJECTOR_CHECKPOINT_AHEAD: offsets committed past events never applied; rebuild',
      );
    checkpointsHold = ahead.length === 0;
  };
  const checkpoints = setInterval(
    () =>
      void checkCheckpoints().catch((error: unknown) => log.warn({ err: error }, 'checkpoints not checked')),
    every.checkpointsMs,
  );

  // Keys now hash elsewhere: an aggregate's later events sit on a partition the read models order
  // apart from its earlier ones, and are taken for older (ensureTopics refuses this at start). Read
  // as metadata: the log-end watch's cached view of the topics would not show new partitions.
  const partitionCounts = new Map<string, number>();
  const checkPartitions = async () => {
    const { topics } = await deps.admin.fetchTopicMetadata({ topics: domainTopics });
    for (const { name, partitions } of topics) {
      const before = partitionCounts.get(name);
      partitionCounts.set(name, Math.max(before ?? 0, partitions.length));
      if (before === undefined || partitions.length <= before || partitionsAdded.has(name)) continue;
      partitionsAdded.add(name);
      log.error(
        { topic: name, partitionsWere: before, partitions: partitions.length },
        'ERR_KAFKA_TOPIC_PARTITIONS: partitions were added to a keyed topic while the projector ran: events of one key may be applied out of order',
      );
    }
  };
  const partitionChecks = setInterval(
    () =>
      void checkPartitions().catch((error: unknown) => log.warn({ err: error }, 'partitions not checked')),
    every.checkpointsMs,
  );

  return {
    checks: [
      // The contract's readiness: the live projection is caught up or progressing, against the
      // log's end as Kafka has it (a hung projector keeps the end it last saw).
      { name: 'projector', check: () => projectionHealthy(db, deps.generation(), logEnds) },
      { name: 'checkpoints', check: () => Promise.resolve(checkpointsHold) },
      { name: 'logs', check: () => Promise.resolve(logsBehind.size === 0) },
      { name: 'partitions', check: () => Promise.resolve(partitionsAdded.size === 0) },
    ],
    stop() {
      logEnds.stop();
      clearInterval(gauges);
      clearInterval(checkpoints);
      clearInterval(partitionChecks);
    },
  };
}

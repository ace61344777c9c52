import type { Collection, Db } from 'mongodb';
import { topicNames, type TopicNames } from '@cdp/contracts';
import { collectionsFor } from './collections';

/**
 * How far the projector has applied each partition, written after every batch. The read API
 * derives `X-Projection-Lag-Ms` and read-your-writes waits from it.
 */
export interface ProjectionProgressDoc {
  _id: string;
  topic: string;
  partition: number;
  /** Offset of the last applied event; -1 before the first. */
  appliedOffset: number;
  /** Offset the partition's log ended at when the batch was fetched. */
  highWatermark: number;
  /** When ingest recorded the last applied event. */
  lastRecordedAt: string | null;
  updatedAt: string;
}

/** Progress belongs to a read-model generation (see generation.ts): its suffix is part of the name. */
export const progressCollection = (db: Db, suffix = ''): Collection<ProjectionProgressDoc> =>
  db.collection(collectionsFor(suffix).progress);

/**
 * Where Kafka says a partition's log ends, read by the caller: the projector's progress cannot show
 * events that came after its last fetch (it may have stopped since).
 */
export interface LogEndView {
  end: number;
  /** Since when the first event past the applied offset has been in the log, as far as the caller saw. */
  waitingSinceMs: number;
}

/** Log-end views by partition id (`topic/partition`, as progress documents are keyed). */
export interface LogEnds {
  viewOf(partitionId: string, appliedOffset: number): LogEndView | undefined;
  /** The partitions whose ends were read. */
  partitionIds?(): Iterable<string>;
}

/** Where the partition's log ends, as far as anyone saw: the projector at its last fetch, or Kafka. */
export const knownLogEnd = (doc: ProjectionProgressDoc, log?: LogEndView): number =>
  Math.max(doc.highWatermark, log?.end ?? 0);

/**
 * Lag of one partition: zero when caught up; when the projector saw events waiting, the age of the
 * last one applied; when only the log end shows them, how long they have been waiting.
 */
export function partitionLagMs(doc: ProjectionProgressDoc, now: number, log?: LogEndView): number {
  if (doc.appliedOffset + 1 >= knownLogEnd(doc, log)) return 0;
  if (doc.appliedOffset + 1 < doc.highWatermark)
    return doc.lastRecordedAt
      ? Math.max(0, now - Date.parse(doc.lastRecordedAt))
      : now - Date.parse(doc.updatedAt);
  return Math.max(0, now - (log?.waitingSinceMs ?? now));
}

/**
 * The progress documents, plus one saying nothing is applied for each projected partition Kafka
 * holds that has none yet (the projector has not finished a batch there: a fresh deployment, a
 * projector that never started, a partition no event reached before), so that events waiting
 * there count.
 */
export function withUnstarted(
  docs: readonly ProjectionProgressDoc[],
  logEnds?: LogEnds,
): ProjectionProgressDoc[] {
  const known = new Set(docs.map((d) => d._id));
  const unstarted: ProjectionProgressDoc[] = [];
  for (const id of logEnds?.partitionIds?.() ?? []) {
    const slash = id.lastIndexOf('/');
    const topic = id.slice(0, slash);
    if (known.has(id) || streamOfTopic(topic) === null) continue;
    unstarted.push({
      _id: id,
      topic,
      partition: Number(id.slice(slash + 1)),
      appliedOffset: -1,
      highWatermark: 0,
      lastRecordedAt: null,
      updatedAt: new Date(0).toISOString(),
    });
  }
  return [...docs, ...unstarted];
}

/** The domain event streams read models are projected from. */
export const projectedStreams = ['orders', 'customers', 'products'] as const;
export type ProjectedStream = (typeof projectedStreams)[number];

/** The topics the read models are projected from, under a deployment's topic names. */
export const projectedTopics = (topics: TopicNames): string[] =>
  projectedStreams.map((stream) => topics[stream]);

const canonical = topicNames();

/** The stream a (possibly prefixed) topic carries: its name ends with the stream's topic name. */
export const streamOfTopic = (topic: string): ProjectedStream | null =>
  projectedStreams.find((stream) => topic.endsWith(canonical[stream])) ?? null;

/**
 * The worst partition's lag: how far the read models trail the newest event. With `streams`, only
 * the partitions of those streams count (the read models a route reads).
 */
export const maxLagMs = (
  docs: readonly ProjectionProgressDoc[],
  now: number,
  streams?: readonly ProjectedStream[],
  logEnds?: LogEnds,
): number =>
  withUnstarted(docs, logEnds).reduce((max, doc) => {
    const stream = streamOfTopic(doc.topic);
    const counts = streams === undefined || (stream !== null && streams.includes(stream));
    return counts
      ? Math.max(max, partitionLagMs(doc, now, logEnds?.viewOf(doc._id, doc.appliedOffset)))
      : max;
  }, 0);

/** How long a partition may trail its log with no progress written before the projector counts as stalled. */
export const STALLED_AFTER_MS = 60_000;

/**
 * `/readyz`'s test of one partition: caught up, or progressing: behind, with progress written within
 * `stalledAfterMs` (the projector writes it after every batch) or with the waiting events no older
 * than that. With `log`, Kafka's log end counts, so a projector that stopped after catching up does
 * not pass for caught up once events wait for it.
 */
export const partitionHealthy = (
  doc: ProjectionProgressDoc,
  now: number,
  log?: LogEndView,
  stalledAfterMs = STALLED_AFTER_MS,
) =>
  doc.appliedOffset + 1 >= knownLogEnd(doc, log) ||
  now - Date.parse(doc.updatedAt) <= stalledAfterMs ||
  (doc.appliedOffset + 1 >= doc.highWatermark &&
    log !== undefined &&
    now - log.waitingSinceMs <= stalledAfterMs);

/** Whether every partition of a generation's projection is caught up or progressing (see partitionHealthy). */
export async function projectionHealthy(db: Db, suffix: string, logEnds?: LogEnds): Promise<boolean> {
  const now = Date.now();
  const docs = await progressCollection(db, suffix).find({}).toArray();
  return withUnstarted(docs, logEnds).every((doc) =>
    partitionHealthy(doc, now, logEnds?.viewOf(doc._id, doc.appliedOffset)),
  );
}

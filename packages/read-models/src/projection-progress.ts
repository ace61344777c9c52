import type { Collection, Db } from 'mongodb';
import { topicNames } from '@cdp/contracts';
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

/** Lag of one partition: zero when caught up, else the age of the last applied event. */
export function partitionLagMs(doc: ProjectionProgressDoc, now: number): number {
  if (doc.appliedOffset + 1 >= doc.highWatermark) return 0;
  return doc.lastRecordedAt
    ? Math.max(0, now - Date.parse(doc.lastRecordedAt))
    : now - Date.parse(doc.updatedAt);
}

/** The domain event streams read models are projected from. */
export const projectedStreams = ['orders', 'customers', 'products'] as const;
export type ProjectedStream = (typeof projectedStreams)[number];

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
): number =>
  docs.reduce((max, doc) => {
    const stream = streamOfTopic(doc.topic);
    const counts = streams === undefined || (stream !== null && streams.includes(stream));
    return counts ? Math.max(max, partitionLagMs(doc, now)) : max;
  }, 0);

/** How long a partition may trail its log with no progress written before the projector counts as stalled. */
export const STALLED_AFTER_MS = 60_000;

/**
 * `/readyz`'s test of one partition: caught up, or progressing (behind its log, with progress
 * written within `stalledAfterMs`; the projector writes it after every batch). `logEnd`, where the
 * caller can read it from Kafka, replaces the end the projector last saw, so a projector that hung
 * after catching up does not pass for caught up.
 */
export const partitionHealthy = (
  doc: ProjectionProgressDoc,
  now: number,
  logEnd = doc.highWatermark,
  stalledAfterMs = STALLED_AFTER_MS,
) => doc.appliedOffset + 1 >= logEnd || now - Date.parse(doc.updatedAt) <= stalledAfterMs;

/** Whether every partition of a generation's projection is caught up or progressing (see partitionHealthy). */
export async function projectionHealthy(
  db: Db,
  suffix: string,
  logEnds: ReadonlyMap<string, number> = new Map(),
): Promise<boolean> {
  const now = Date.now();
  return (await progressCollection(db, suffix).find({}).toArray()).every((doc) =>
    partitionHealthy(doc, now, logEnds.get(doc._id)),
  );
}

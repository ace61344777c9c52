import { setTimeout as sleep } from 'node:timers/promises';
import type { NextFunction, Request, Response } from 'express';
import type { Collection } from 'mongodb';
import { z } from 'zod';
import {
  LOG_POSITION_PATTERN,
  type DeciderLag,
  knownLogEnd,
  maxLagMs,
  parseLogPosition,
  type LogEnds,
  type LogPosition,
  type ProjectedStream,
  type ProjectionProgressDoc,
  streamOfTopic,
  withUnstarted,
} from '@cdp/read-models';
import { parseOrThrow } from './http-error';
import { parseQuery } from './query-params';

export const MAX_WAIT_MS = 5000;
const POLL_MS = 50;
const SHARED_READ_MS = 25;
/** How long one poll of a wait waits for its look at Kafka before it answers "not yet" (and polls on). */
const REFRESH_WAIT_MS = 250;

export const LAG_HEADER = 'X-Projection-Lag-Ms';
export const STALE_HEADER = 'X-Stale';
export const MIN_POSITION_HEADER = 'X-Min-Position';

/** Read-your-writes inputs, shared by every read route (and described on each in the OpenAPI document). */
export const readYourWritesQuery = {
  waitMs: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_WAIT_MS)
    .optional()
    .describe(
      `wait up to this long (max ${MAX_WAIT_MS}) for what ingest and the event logs held when the request came to be projected, or for ${MIN_POSITION_HEADER}`,
    ),
};

export const minPositionHeader = z
  .string()
  .regex(LOG_POSITION_PATTERN, 'topic/partition/offset')
  // The pattern matched, so it parses.
  .transform((value) => parseLogPosition(value)!)
  .optional()
  .describe('wait until the projector has applied this event (topic/partition/offset)');

export interface ProjectionProgress {
  /** Max lag over the partitions of `streams`, from progress read at most `cacheMs` ago (every read asks), or, `fresh`, just now. */
  lagMs(streams: readonly ProjectedStream[], fresh?: boolean): Promise<number>;
  /**
   * A wait's test, each call looking again: whether `position` is applied, or without one,
   * whether everything in the logs when the wait began is (what ingest had accepted included), so
   * that a wait ends once the reader's own writes are in whatever comes after them.
   */
  waiter(position: LogPosition | undefined, streams: readonly ProjectedStream[]): () => Promise<boolean>;
}

/**
 * Lag and read-your-writes from the served generation's per-partition progress documents and,
 * with `logEnds`, where Kafka's logs end (events the projector has not fetched count too), and with
 * `decider`, what ingest accepted that is not yet events (every read model waits for it).
 */
export function createProjectionProgress(
  progress: Collection<ProjectionProgressDoc>,
  cacheMs = 250,
  logEnds?: LogEnds & { refresh?: () => Promise<void> },
  decider?: DeciderLag,
): ProjectionProgress {
  const readDocs = () => progress.find({}).toArray();
  let latest: { at: number; docs: Promise<ProjectionProgressDoc[]> } | undefined;
  /**
   * The progress as read at most `maxAgeMs` ago (a read under way included), else read now. Waits
   * look through it too, SHARED_READ_MS apart: each waiting request would otherwise read every
   * 50 ms on its own. Progress only moves forward, so a read a moment old only ends a wait a moment later.
   */
  const docsWithin = (maxAgeMs: number) => {
    // Monotonic: a wall clock set back would keep an old read for as long.
    if (latest && performance.now() - latest.at <= maxAgeMs) return latest.docs;
    const read = { at: performance.now(), docs: readDocs() };
    latest = read;
    read.docs.catch(() => {
      if (latest === read) latest = undefined;
    });
    return read.docs;
  };
  const appliedDocs = () => docsWithin(SHARED_READ_MS);
  return {
    async lagMs(streams, fresh = false) {
      // A route that reads no projection (commands) trails nothing.
      if (streams.length === 0) return 0;
      const docs = await docsWithin(fresh ? Math.min(cacheMs, SHARED_READ_MS) : cacheMs);
      const at = Date.now();
      return Math.max(maxLagMs(docs, at, streams, logEnds), decider?.lagMs(at) ?? 0);
    },
    waiter(position, streams) {
      if (position) {
        const id = `${position.topic}/${position.partition}`;
        return async () => {
          const doc = (await appliedDocs()).find((d) => d._id === id);
          return doc !== undefined && doc.appliedOffset >= position.offset;
        };
      }
      if (streams.length === 0) return () => Promise.resolve(true);
      // The watches' last reads may be a second old: each step looks at Kafka again, and only a
      // look begun after the step before ended can hold the reader's writes.
      const deciderPassed = decider ? passedWhatIngestHeld(decider) : () => Promise.resolve(true);
      let endsLook: (() => Promise<boolean>) | undefined;
      let ends: Map<string, number> | undefined;
      return async () => {
        if (!ends) {
          // First what ingest had accepted must be events; the event logs' ends are read after that.
          if (!(await deciderPassed())) return false;
          endsLook ??= freshLook(() => logEnds?.refresh?.() ?? Promise.resolve());
          if (!(await endsLook())) return false;
          ends = logEndsOf(await readDocs(), streams, logEnds);
        }
        const applied = new Map(
          withUnstarted(await appliedDocs(), logEnds).map((d) => [d._id, d.appliedOffset]),
        );
        return [...ends].every(([id, end]) => (applied.get(id) ?? -1) + 1 >= end);
      };
    },
  };
}

/**
 * A look at Kafka (`refresh`), begun now: each call waits up to REFRESH_WAIT_MS for it to complete,
 * answering whether it has, the next for the same look, or, after one that failed, a new one.
 */
function freshLook(refresh: () => Promise<void>): () => Promise<boolean> {
  let look: Promise<boolean> | undefined;
  const begin = () =>
    refresh().then(
      () => true,
      () => {
        look = undefined;
        return false;
      },
    );
  look = begin();
  return () => Promise.race([(look ??= begin()), sleep(REFRESH_WAIT_MS, false)]);
}

/**
 * Whether the decider has turned into events all that ingest had accepted when this was made: where
 * the raw topic ends, then the decider's commits, each from a look at Kafka begun after the step before.
 */
function passedWhatIngestHeld(decider: DeciderLag): () => Promise<boolean> {
  let look = freshLook(() => decider.refresh());
  let rawEnds: ReadonlyMap<number, number> | null | undefined;
  let passed = false;
  return async () => {
    if (passed || !(await look())) return passed;
    rawEnds ??= decider.rawEnds();
    passed = rawEnds === null || decider.passed(rawEnds);
    // Not yet: the next poll has a look begun now.
    if (!passed) look = freshLook(() => decider.refresh());
    return passed;
  };
}

/** Where each partition of `streams` ends, as far as the projector or Kafka saw. */
function logEndsOf(
  docs: readonly ProjectionProgressDoc[],
  streams: readonly ProjectedStream[],
  logEnds: LogEnds | undefined,
): Map<string, number> {
  const ends = new Map<string, number>();
  for (const doc of withUnstarted(docs, logEnds)) {
    const stream = streamOfTopic(doc.topic);
    if (stream !== null && streams.includes(stream))
      ends.set(doc._id, knownLogEnd(doc, logEnds?.viewOf(doc._id, doc.appliedOffset)));
  }
  return ends;
}

/**
 * Sets the lag of the route's read model (projected from `streams`) on every read and, when asked
 * (`waitMs`, `X-Min-Position`), first waits for the projection, bounded; a read that gives up
 * waiting still answers, marked stale.
 */
export function projectionLag(progress: ProjectionProgress, streams: readonly ProjectedStream[]) {
  const query = z.object(readYourWritesQuery);
  return async (req: Request, res: Response, next: NextFunction) => {
    res.set(LAG_HEADER, String(await progress.lagMs(streams)));
    const { waitMs } = parseQuery(query, req.query);
    const position = parseOrThrow(
      minPositionHeader,
      req.get(MIN_POSITION_HEADER),
      `header.${MIN_POSITION_HEADER}`,
    );
    if (waitMs === undefined && position === undefined) return next();
    const deadline = Date.now() + (waitMs ?? MAX_WAIT_MS);
    const reachedNow = progress.waiter(position, streams);
    let reached = await reachedNow();
    while (!reached && Date.now() < deadline) {
      await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
      reached = await reachedNow();
    }
    if (!reached) res.set(STALE_HEADER, 'true');
    res.set(LAG_HEADER, String(await progress.lagMs(streams, true)));
    return next();
  };
}

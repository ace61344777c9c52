import { setTimeout as sleep } from 'node:timers/promises';
import type { NextFunction, Request, Response } from 'express';
import type { Collection } from 'mongodb';
import { z } from 'zod';
import {
  LOG_POSITION_PATTERN,
  type DeciderLag,
  maxLagMs,
  parseLogPosition,
  type LogEnds,
  type LogPosition,
  type ProjectedStream,
  type ProjectionProgressDoc,
} from '@cdp/read-models';
import { parseOrThrow } from './http-error';
import { parseQuery } from './query-params';

export const MAX_WAIT_MS = 5000;
const POLL_MS = 50;
/** How long a wait's look at Kafka may take before the answers already read are used. */
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
      `wait up to this long (max ${MAX_WAIT_MS}) for the projection to catch up, or to reach ${MIN_POSITION_HEADER}`,
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
  /** Max lag over the partitions of `streams`, from progress read at most `cacheMs` ago: every read asks. */
  lagMs(streams: readonly ProjectedStream[]): Promise<number>;
  /** Uncached, as the wait loop needs: whether `position` is applied, or without one whether `streams` are caught up. */
  reached(position: LogPosition | undefined, streams: readonly ProjectedStream[]): Promise<boolean>;
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
  let cached: { at: number; docs: Promise<ProjectionProgressDoc[]> } | undefined;
  const fresh = () => progress.find({}).toArray();
  return {
    async lagMs(streams) {
      if (!cached || Date.now() - cached.at > cacheMs) {
        const docs = fresh();
        cached = { at: Date.now(), docs };
        docs.catch(() => (cached = undefined));
      }
      const now = Date.now();
      return Math.max(maxLagMs(await cached.docs, now, streams, logEnds), decider?.lagMs(now) ?? 0);
    },
    async reached(position, streams) {
      if (!position) {
        // The watches' last reads may be a second old: read Kafka again, the decider's side first, so
        // the event topics' ends include what it committed; bounded, for a wait that has a deadline.
        await Promise.race([
          (decider?.refresh() ?? Promise.resolve()).then(() => logEnds?.refresh?.()).catch(() => undefined),
          sleep(REFRESH_WAIT_MS),
        ]);
        const now = Date.now();
        return (decider?.lagMs(now) ?? 0) === 0 && maxLagMs(await fresh(), now, streams, logEnds) === 0;
      }
      const doc = await progress.findOne({ _id: `${position.topic}/${position.partition}` });
      return doc !== null && doc.appliedOffset >= position.offset;
    },
  };
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
    let reached = await progress.reached(position, streams);
    while (!reached && Date.now() < deadline) {
      await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
      reached = await progress.reached(position, streams);
    }
    if (!reached) res.set(STALE_HEADER, 'true');
    res.set(LAG_HEADER, String(reached && !position ? 0 : await progress.lagMs(streams)));
    return next();
  };
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { NextFunction, Request, Response } from 'express';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { partitionLagMs, progressCollection } from '@cdp/read-models';
import { parseOrThrow } from './http-error';

export const MAX_WAIT_MS = 5000;
const POLL_MS = 50;

export const LAG_HEADER = 'X-Projection-Lag-Ms';
export const STALE_HEADER = 'X-Stale';
export const MIN_POSITION_HEADER = 'X-Min-Position';

export interface LogPosition {
  topic: string;
  partition: number;
  offset: number;
}

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
  .regex(/^.+\/\d+\/\d+$/, 'topic/partition/offset')
  .transform((value): LogPosition => {
    const [, topic = '', partition, offset] = /^(.+)\/(\d+)\/(\d+)$/.exec(value) ?? [];
    return { topic, partition: Number(partition), offset: Number(offset) };
  })
  .optional()
  .describe('wait until the projector has applied this event (topic/partition/offset)');

export interface ProjectionProgress {
  /** Max lag over the partitions, cached briefly: every read asks. */
  lagMs(): Promise<number>;
  /** Uncached: the wait loop needs the current answer. */
  reached(position: LogPosition | undefined): Promise<boolean>;
}

/** Lag and read-your-writes from the projector's per-partition progress documents. */
export function createProjectionProgress(db: Db, cacheMs = 250): ProjectionProgress {
  const progress = progressCollection(db);
  let cached: { at: number; lag: Promise<number> } | undefined;
  const freshLag = async () => {
    const now = Date.now();
    const docs = await progress.find({}).toArray();
    return docs.reduce((max, doc) => Math.max(max, partitionLagMs(doc, now)), 0);
  };
  return {
    lagMs() {
      if (!cached || Date.now() - cached.at > cacheMs) {
        const lag = freshLag();
        cached = { at: Date.now(), lag };
        lag.catch(() => (cached = undefined));
      }
      return cached.lag;
    },
    async reached(position) {
      if (!position) return (await freshLag()) === 0;
      const doc = await progress.findOne({ _id: `${position.topic}/${position.partition}` });
      return doc !== null && doc.appliedOffset >= position.offset;
    },
  };
}

/**
 * Sets the lag header on every read and, when asked (`waitMs`, `X-Min-Position`), first waits
 * for the projection, bounded; a read that gives up waiting still answers, marked stale.
 */
export function projectionLag(progress: ProjectionProgress) {
  const query = z.object(readYourWritesQuery);
  return async (req: Request, res: Response, next: NextFunction) => {
    // Commands (POST) answer about themselves, not about a read model.
    if (req.method !== 'GET') return next();
    res.set(LAG_HEADER, String(await progress.lagMs()));
    const { waitMs } = parseOrThrow(query, req.query, 'query');
    const position = parseOrThrow(
      minPositionHeader,
      req.get(MIN_POSITION_HEADER),
      `header.${MIN_POSITION_HEADER}`,
    );
    if (waitMs === undefined && position === undefined) return next();
    const deadline = Date.now() + (waitMs ?? MAX_WAIT_MS);
    let reached = await progress.reached(position);
    while (!reached && Date.now() < deadline) {
      await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
      reached = await progress.reached(position);
    }
    if (!reached) res.set(STALE_HEADER, 'true');
    res.set(LAG_HEADER, String(reached && !position ? 0 : await progress.lagMs()));
    return next();
  };
}

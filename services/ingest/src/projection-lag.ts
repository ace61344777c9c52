import type { Db } from 'mongodb';
import { currentGeneration, maxLagMs, progressCollection, type LogEnds } from '@cdp/read-models';

/**
 * How far the read models trail the newest event, in ms: the worst partition, as the read API
 * counts `X-Projection-Lag-Ms` (with Kafka's log ends, events no projector has fetched count too).
 * Read from the live generation, the one the projector follows.
 */
export async function projectionLagMs(db: Db, nowMs: number, logEnds?: LogEnds): Promise<number> {
  const docs = await progressCollection(db, await currentGeneration(db))
    .find({})
    .toArray();
  return maxLagMs(docs, nowMs, undefined, logEnds);
}

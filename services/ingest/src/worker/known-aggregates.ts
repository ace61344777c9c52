import { AppError, oneAtATime } from '@cdp/contracts';
import type { Db } from 'mongodb';
import type { AggregateKind } from '../deciding/aggregate-key';
import { STATE_COLLECTION } from './state-store';

export interface KnownAggregates {
  /**
   * The ids of a tenant's aggregates of one kind that the decider has seen and not seen deleted.
   * Rejects with a retriable AppError when `signal` aborts first.
   */
  liveIds(tenantId: string, kind: AggregateKind, signal: AbortSignal): Promise<Set<string>>;
}

/**
 * Reads the decider's memory; only the decider writes it. FerretDB's SQLite backend uses the `_id`
 * index for equality only, so each read decodes the whole collection (seconds per ten thousand
 * aggregates): this process runs one at a time, so its shops' sweeps never pile scans on the store.
 */
export function createKnownAggregates(db: Db): KnownAggregates {
  const states = db.collection<{ _id: string; state?: { deleted?: boolean } }>(STATE_COLLECTION);
  const inTurn = oneAtATime();

  async function scan(tenantId: string, kind: AggregateKind, signal: AbortSignal) {
    const prefix = `${tenantId}:${kind}:`;
    // Keys are `${tenantId}:${kind}:${id}`: every key with the prefix sorts before the one ending in ';'.
    const cursor = states.find(
      { _id: { $gte: prefix, $lt: `${tenantId}:${kind};` } },
      { projection: { 'state.deleted': 1 } },
    );
    const ids = new Set<string>();
    // Leaving the loop closes the cursor.
    for await (const doc of cursor) {
      if (signal.aborted) throw new AppError('ERR_HARAVAN_ABORTED', 'polling stopped', true);
      if (doc.state?.deleted !== true) ids.add(doc._id.slice(prefix.length));
    }
    return ids;
  }

  return {
    liveIds: (tenantId, kind, signal) => inTurn(() => scan(tenantId, kind, signal)),
  };
}

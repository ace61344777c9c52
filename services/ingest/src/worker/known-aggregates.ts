import { AppError, oneAtATime } from '@cdp/contracts';
import type { Db } from 'mongodb';
import type { AggregateKind } from '../deciding/aggregate-key';
import { STATE_COLLECTION } from './state-store';

export interface KnownIds {
  /** Seen and not seen deleted. */
  live: Set<string>;
  /** Seen deleted, with when it was last deleted (tombstones stored before that was kept are left out). */
  deleted: Map<string, string>;
}

export interface KnownAggregates {
  /**
   * The ids of a tenant's aggregates of one kind that the decider has seen. Rejects with a
   * retriable AppError when `signal` aborts first.
   */
  ids(tenantId: string, kind: AggregateKind, signal: AbortSignal): Promise<KnownIds>;
}

/**
 * Reads the decider's memory; only the decider writes it. FerretDB's SQLite backend uses the `_id`
 * index for equality only, so each read decodes the whole collection (seconds per ten thousand
 * aggregates): this process runs one at a time, so its shops' sweeps never pile scans on the store.
 */
export function createKnownAggregates(db: Db): KnownAggregates {
  const states = db.collection<{
    _id: string;
    state?: { deleted?: boolean; deletedAt?: string };
  }>(STATE_COLLECTION);
  const inTurn = oneAtATime();

  async function scan(tenantId: string, kind: AggregateKind, signal: AbortSignal) {
    const prefix = `${tenantId}:${kind}:`;
    // Keys are `${tenantId}:${kind}:${id}`: every key with the prefix sorts before the one ending in ';'.
    const cursor = states.find(
      { _id: { $gte: prefix, $lt: `${tenantId}:${kind};` } },
      { projection: { 'state.deleted': 1, 'state.deletedAt': 1 } },
    );
    const known: KnownIds = { live: new Set(), deleted: new Map() };
    // Leaving the loop closes the cursor.
    for await (const doc of cursor) {
      if (signal.aborted) throw new AppError('ERR_HARAVAN_ABORTED', 'polling stopped', true);
      const id = doc._id.slice(prefix.length);
      if (doc.state?.deleted !== true) known.live.add(id);
      else if (doc.state.deletedAt !== undefined) known.deleted.set(id, doc.state.deletedAt);
    }
    return known;
  }

  return {
    ids: (tenantId, kind, signal) => inTurn(() => scan(tenantId, kind, signal)),
  };
}

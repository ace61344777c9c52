import type { Db } from 'mongodb';
import type { AggregateKind } from '../deciding/aggregate-key';
import { STATE_COLLECTION } from './state-store';

export interface KnownAggregates {
  /** The ids of a tenant's aggregates of one kind that the decider has seen and not seen deleted. */
  liveIds(tenantId: string, kind: AggregateKind): Promise<Set<string>>;
}

/** Reads the decider's memory; only the decider writes it. */
export function createKnownAggregates(db: Db, collection = STATE_COLLECTION): KnownAggregates {
  const states = db.collection<{ _id: string; state?: { deleted?: boolean } }>(collection);
  return {
    async liveIds(tenantId, kind) {
      const prefix = `${tenantId}:${kind}:`;
      // Keys are `${tenantId}:${kind}:${id}`: every key with the prefix sorts before the one ending in ';'.
      const cursor = states.find(
        { _id: { $gte: prefix, $lt: `${tenantId}:${kind};` } },
        { projection: { 'state.deleted': 1 } },
      );
      const ids = new Set<string>();
      for await (const doc of cursor) if (doc.state?.deleted !== true) ids.add(doc._id.slice(prefix.length));
      return ids;
    },
  };
}

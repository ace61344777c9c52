import type { Collection, Db } from 'mongodb';
import type { DomainEvent } from '@cdp/contracts';
import type { AggregateState } from '../deciding/aggregate-state';

/**
 * The decider's memory per aggregate. `lastDecision` remembers which raw record produced which
 * events, so a record re-read after a crash (its Kafka transaction never committed) re-emits the
 * very same events instead of deciding "nothing changed" against the already-saved state.
 */
export interface StoredState {
  state: AggregateState;
  lastDecision: { partition: number; offset: string; events: DomainEvent[] };
}

interface StateDoc extends StoredState {
  _id: string;
}

export interface StateStore {
  get(key: string): Promise<StoredState | null>;
  put(key: string, value: StoredState): Promise<void>;
}

/** Where the decider keeps its memory, `_id` being the aggregate key. */
export const STATE_COLLECTION = 'ingest_state';

export function createStateStore(db: Db, collection = STATE_COLLECTION): StateStore {
  const states: Collection<StateDoc> = db.collection(collection);
  return {
    async get(key) {
      const doc = await states.findOne({ _id: key });
      if (!doc) return null;
      const { _id, ...stored } = doc;
      return stored;
    },
    async put(key, value) {
      // One writer per key: the raw topic is keyed by aggregate and each partition has one consumer.
      await states.replaceOne({ _id: key }, value, { upsert: true });
    },
  };
}

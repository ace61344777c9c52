import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import { z } from 'zod';
import { AppError, type DomainEvent } from '@cdp/contracts';
import { bulk } from '@cdp/mongo';
import { aggregateStateSchema, type AggregateState } from '../deciding/aggregate-state';

/**
 * The decider's memory per aggregate. `lastDecision` remembers which raw record produced which
 * events, so a record re-read after a crash (its Kafka transaction never committed) re-emits the
 * very same events instead of deciding "nothing changed" against the already-saved state.
 */
export interface StoredState {
  state: AggregateState;
  lastDecision: { partition: number; offset: string; events: DomainEvent[] };
  /** The raw partition (`topic/partition`) of `lastDecision`, as stored; absent on states stored before it. */
  decidedIn?: string;
}

const storedStateSchema = z.object({
  state: aggregateStateSchema,
  // Not strict: a field a later release adds must not stop this one reading the state after a rollback.
  lastDecision: z.object({
    partition: z.number().int(),
    offset: z.string(),
    // Parsed where they are used again (the codec parses every event it encodes), not here: one
    // stored before an upgrade changed its schema must not stop the decider reading its state.
    events: z.array(z.custom<DomainEvent>((event) => typeof event === 'object' && event !== null)),
  }),
  decidedIn: z.string().optional(),
}) satisfies z.ZodType<StoredState>;

interface StateDoc extends StoredState {
  _id: string;
  /** The offset of `lastDecision`, for the write guard; absent on states stored before it. */
  decidedOffset?: number;
}

export interface StateStore {
  /** The stored states of those `keys` that have one. */
  getMany(keys: readonly string[]): Promise<Map<string, StoredState>>;
  /** States decided from the records of one raw partition, `decidedIn` (`topic/partition`). */
  putMany(entries: readonly (readonly [string, StoredState])[], decidedIn: string): Promise<void>;
}

/** Where the decider keeps its memory, `_id` being the aggregate key. */
export const STATE_COLLECTION = 'ingest_state';

export function createStateStore(db: Db): StateStore {
  const states: Collection<StateDoc> = db.collection(STATE_COLLECTION);
  return {
    async getMany(keys) {
      // One `_id` read each, concurrently: FerretDB answers `$in` by scanning the collection.
      const docs = await Promise.all(keys.map((key) => states.findOne({ _id: key })));
      const found = new Map<string, StoredState>();
      for (const doc of docs) {
        if (!doc) continue;
        // What the decider decides against, and what it may emit again: read as it must be, or not at all.
        const parsed = storedStateSchema.safeParse(doc);
        if (!parsed.success)
          throw new AppError(
            'ERR_INGEST_STATE_UNREADABLE',
            `the decider's stored state of ${doc._id} is not one: ${z.prettifyError(parsed.error)}`,
            false,
          );
        found.set(doc._id, parsed.data);
      }
      return found;
    },
    async putMany(entries, decidedIn) {
      // One writer per key: the raw topic is keyed by aggregate and each partition has one consumer.
      // But an instance dropped from the group may write once more before its fenced transaction
      // fails: a state from an older record of the same raw partition is not written over it (the
      // upsert then meets the _id, which `bulk` takes as "newer"). One from another raw topic (a new
      // TOPIC_PREFIX, whose offsets start again) is.
      const writes: AnyBulkWriteOperation<StateDoc>[] = entries.map(([key, value]) => {
        const decidedOffset = Number(value.lastDecision.offset);
        return {
          replaceOne: {
            filter: {
              _id: key,
              $or: [{ decidedIn: { $ne: decidedIn } }, { decidedOffset: { $lte: decidedOffset } }],
            },
            replacement: { ...value, decidedIn, decidedOffset },
            upsert: true,
          },
        };
      });
      await bulk(states, writes);
    },
  };
}

import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import type { Db } from 'mongodb';
import { AppError, eventKey, type DomainEvent, type TopicNames } from '@cdp/contracts';
import type { EventCodec } from '@cdp/kafka';
import { createLogger, type Logger } from '@cdp/logging';
import {
  collectionsFor,
  currentGeneration,
  customerDocId,
  type BuyerEntriesDoc,
  type OrderDoc,
  type ReadModelCollections,
} from '@cdp/read-models';
import { deleteBuyerEntries } from './entry-shards';
import { createReadModelWriter } from './read-model-writer';
import { readLogRanges, type LogRange } from './read-log-ranges';
import { captureTargets } from './replay-progress';
import { DEFAULT_BACKOFF, throughOutages } from './through-outages';

const quiet = createLogger('customer-rebuild', 'silent');

/** Whether an event belongs to the customer; an order stays theirs from its first event on, even if moved later. */
function concerns(event: DomainEvent, customerId: string, theirOrders: Set<string>): boolean {
  switch (event.type) {
    case 'CustomerUpserted':
    case 'CustomerDeleted':
      return event.metadata.aggregateId === customerId;
    case 'OrderDeleted':
      return theirOrders.has(event.data.orderId);
    case 'OrderCreated':
    case 'OrderUpdated':
    case 'PaymentStatusChanged':
    case 'OrderCancelled':
      if (event.data.order.buyer?.customerId === customerId) theirOrders.add(event.data.order.orderId);
      return theirOrders.has(event.data.order.orderId);
    case 'ProductUpserted':
    case 'ProductDeleted':
      return false;
  }
}

interface Collected {
  event: DomainEvent;
  topic: string;
  key: string;
  position: { partition: number; offset: number };
}

/**
 * Per parked key (`topic/key`), the offset of its first parked event: the live projector applied
 * the key's events before it and none from it on, until the key is replayed.
 */
async function parkedFrom(db: Db, names: ReadModelCollections, topics: readonly string[]) {
  const parked = await db
    .collection<{ topic: string; key: string; offset: number }>(names.parkedEvents)
    .find({ topic: { $in: [...topics] } }, { projection: { topic: 1, key: 1, offset: 1 } })
    .toArray();
  const from = new Map<string, number>();
  for (const { topic, key, offset } of parked) {
    const id = `${topic}/${key}`;
    from.set(id, Math.min(offset, from.get(id) ?? offset));
  }
  return from;
}

/** How often the rebuild's unit of work is written: one customer's events, but they can be many. */
const FLUSH_EVERY = 1_000;

/** Reading what arrived during the first read, in the live projector's turn, takes seconds at most. */
const CATCH_UP_TIMEOUT_MS = 60_000;
/** The first read, of the whole log, may take long; a minute without a batch means it is stuck. */
const FIRST_READ_IDLE_MS = 60_000;

export interface RebuildCustomerOptions {
  /**
   * Runs the writing part in turn with the live projector's batches (`Projector.exclusive`), so
   * the customer's documents have one writer at a time. Without it nothing else may be writing.
   */
  exclusive?: <T>(work: () => Promise<T>) => Promise<T>;
}

/**
 * Rebuilds one customer in the live generation. Their events are first read from offset 0 to the
 * log's end while the live projector goes on; then, in turn with its batches, the events that
 * arrived meanwhile are read too, the customer's documents removed, and every event about them
 * re-applied in log order. The live projector has applied at most up to where that reading ended,
 * and what it applies after that carries newer positions, so nothing it writes is lost or doubled.
 */
export async function rebuildCustomer(
  deps: {
    kafka: Kafka;
    admin: Admin;
    db: Db;
    codec: EventCodec;
    topics: TopicNames;
    log?: Logger;
    inlineEntries?: number;
  },
  tenantId: string,
  customerId: string,
  opts: RebuildCustomerOptions = {},
): Promise<{ applied: number }> {
  const exclusive = opts.exclusive ?? (<T>(work: () => Promise<T>) => work());
  const domainTopics = [deps.topics.customers, deps.topics.orders];
  const theirOrders = new Set<string>();
  const collected: Collected[] = [];
  const tenantKey = `${tenantId}:`;
  const customerKey = eventKey(tenantId, customerId);
  const parkedNow = async () =>
    parkedFrom(deps.db, collectionsFor(await currentGeneration(deps.db)), domainTopics);
  let parked = await parkedNow();
  /** Events left out undecoded as parked, looked at again once the parked keys are read anew. */
  const undecodedParked: { id: string; offset: number }[] = [];
  const collect = async (topic: string, partition: number, message: KafkaMessage) => {
    // Keys are `<tenant>:<aggregate>`: other tenants' events are not even decoded, so none can stop
    // this, and of the customers topic only this customer's are.
    const key = message.key?.toString() ?? '';
    if (!message.value || !key.startsWith(tenantKey)) return;
    if (topic === deps.topics.customers && key !== customerKey) return;
    const offset = Number(message.offset);
    const decoded = await deps.codec.decode(message.value);
    if (!decoded.ok) {
      // A parked key's events wait from its first parked one on, which may not even decode. Kept
      // when they do: a key parked now may be replayed and applied before the rewrite (which leaves
      // out what is parked then).
      const id = `${topic}/${key}`;
      if (offset < (parked.get(id) ?? Infinity)) throw decoded.error;
      undecodedParked.push({ id, offset });
      return;
    }
    const event = decoded.value;
    if (event.metadata.tenantId === tenantId && concerns(event, customerId, theirOrders))
      collected.push({ event, topic, key, position: { partition, offset } });
  };
  // Kafka or the registry away may come back, whatever kafkajs marks its errors (a broker that stays
  // away ends as a non-retriable "retries exceeded"); an event the codec cannot decode will not.
  const mayPass = (error: unknown) => !(error instanceof AppError && !error.retriable);
  const failure = (code: string, what: string, error: unknown, retriable: boolean) =>
    new AppError(
      code,
      `${code}: ${tenantId}:${customerId} ${what}: ${error instanceof Error ? error.message : String(error)}`,
      retriable,
      { cause: error },
    );

  const readTheirEvents = (ranges: LogRange[], opts: { timeoutMs?: number; idleMs?: number }) =>
    readLogRanges(deps, ranges, collect, opts).catch((error: unknown) => {
      throw failure(
        'ERR_REBUILD_EVENTS_UNREAD',
        'is unchanged; its events could not be read',
        error,
        mayPass(error),
      );
    });

  const ends = await captureTargets(deps.admin, domainTopics).catch((error: unknown) => {
    throw failure(
      'ERR_REBUILD_EVENTS_UNREAD',
      "is unchanged; its topics' ends could not be read",
      error,
      true,
    );
  });
  await readTheirEvents(
    ends.map((t) => ({ ...t, from: 0, to: t.end })),
    { idleMs: FIRST_READ_IDLE_MS },
  );
  const endOf = new Map(ends.map((t) => [`${t.topic}/${t.partition}`, t.end]));

  return exclusive(async () => {
    parked = await parkedNow();
    if (undecodedParked.some(({ id, offset }) => offset < (parked.get(id) ?? Infinity)))
      throw failure(
        'ERR_REBUILD_PARKED_REPLAYED',
        'is unchanged; events parked when its log was read, undecodable then, were replayed since',
        new Error('read its log again'),
        true,
      );
    const later = await captureTargets(deps.admin, domainTopics);
    await readTheirEvents(
      later.map((t) => ({ ...t, from: endOf.get(`${t.topic}/${t.partition}`) ?? 0, to: t.end })),
      // The live projector waits meanwhile: a read that cannot finish must not hold it.
      { timeoutMs: CATCH_UP_TIMEOUT_MS },
    );
    // Removed and written again as a whole, so a store outage midway is waited out and the whole
    // done again (the live projector, waiting for its turn, could not write meanwhile either).
    const rewrite = async () => {
      const names = collectionsFor(await currentGeneration(deps.db));
      // As the live projector leaves them: a key parked now waits from its first parked event on.
      const applicable = collected.filter(
        (c) => c.position.offset < (parked.get(`${c.topic}/${c.key}`) ?? Infinity),
      );
      const profileId = customerDocId(tenantId, customerId);
      await deps.db.collection(names.customers).deleteOne({ _id: profileId } as never);
      await deleteBuyerEntries(deps.db.collection<BuyerEntriesDoc>(names.buyerEntries), profileId);
      await deps.db.collection<OrderDoc>(names.orders).deleteMany({ tenantId, buyerId: customerId });
      const writer = createReadModelWriter(deps.db, names, { inlineEntries: deps.inlineEntries });
      for (const [i, { event, position }] of applicable.entries()) {
        writer.apply(event, position);
        if ((i + 1) % FLUSH_EVERY === 0) await writer.flush();
      }
      await writer.flush();
      return { applied: applicable.length };
    };
    try {
      return await throughOutages(`rebuild customer ${tenantId}:${customerId}`, rewrite, {
        log: deps.log ?? quiet,
        backoff: DEFAULT_BACKOFF,
        keepTrying: () => true,
      });
    } catch (error) {
      // Outages were waited out above: what is left is a write the store refuses.
      throw failure(
        'ERR_REBUILD_WRITE_REFUSED',
        'stays without documents until a rebuild succeeds',
        error,
        false,
      );
    }
  });
}

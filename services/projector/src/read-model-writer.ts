import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import { type CustomerSnapshot, type DomainEvent, type ProductSnapshot } from '@cdp/contracts';
import {
  customerDocId,
  ensureReadModelIndexes,
  orderDocId,
  productDocId,
  foldedText,
  searchableText,
  toOrderDoc,
  type CustomerDoc,
  type OrderDoc,
  type Position,
  type ProductDoc,
  type ReadModelCollections,
  noRevenue,
  totalsOf,
  type BuyerEntriesDoc,
  type OrderContribution,
} from '@cdp/read-models';
import type { BloomFilter } from './bloom-filter';
import { bulk, isDuplicateKey } from '@cdp/mongo';
import { before, ignoreNewer, insertsFirst } from './bulk-writes';
import { buyerListing, buyerOfShards, emptyContact, profileOf, type CustomerMemo } from './contact-documents';
import { INLINE_ENTRIES, writeShardedChange, writeWholeList, type ShardedWrite } from './entry-shards';
import { entriesUpdate, sameEntries, withChange } from './contribution-entries';
import { legacyContribution, storedEntry } from './legacy-contribution';
import { createReceiverWrites } from './receiver-writes';
import { isTransient } from './transient-error';
import { settleBuyersFromOrders } from './settle-buyers';
import { createWrittenDocuments, recallFrom, type WrittenDocuments } from './written-documents';

/** What deciding on an order and listing it on its buyer need of its stored state (a delete reads the rest). */
const STATE_FIELDS = [
  'orderId',
  'buyerId',
  'position',
  'contributions',
  'countsAsOrder',
  'receiverKey',
  'deleted',
] as const;
type OrderState = Pick<OrderDoc, '_id' | (typeof STATE_FIELDS)[number]>;
const ORDER_STATE = Object.fromEntries(STATE_FIELDS.map((field) => [field, 1]));
const stateOf = (doc: OrderDoc): OrderState =>
  Object.fromEntries([['_id', doc._id], ...STATE_FIELDS.map((field) => [field, doc[field]])]) as OrderState;

/** One order touched by the unit of work. */
interface OrderSlot {
  tenantId: string;
  /**
   * The stored order, read as the slot opens and awaited at flush, so that a unit's reads overlap
   * instead of each event waiting for its own; null once a read failed (read again at the next flush).
   */
  reading: Promise<OrderState | null> | null;
  /** The unit's latest snapshot of the order, and a delete after it. */
  snapshot: OrderDoc | null;
  deleted: Position | null;
  /** Set at flush: the stored order, and its latest state if the unit has a newer one. */
  stored: OrderState | null;
  next: OrderDoc | null;
  /** Every buyer its events named: an earlier, interrupted flush may have listed the order on any of them. */
  named: Set<string>;
  /** Every receiver its events named (R12), each written from them whether or not the order still names it. */
  receiverKeys: Set<string>;
}

/** A snapshot event (customer, product) folded per document: the last upsert and a delete after it. */
interface Folded<T> {
  tenantId: string;
  /** The customer's or product's Haravan id. */
  aggregateId: string;
  upsert: { snapshot: T; position: Position } | null;
  deleted: Position | null;
}

interface BuyerChange {
  tenantId: string;
  buyerId: string;
  listed: Map<string, OrderContribution>;
  unlisted: Set<string>;
}

interface BuyerWrite {
  id: string;
  op: AnyBulkWriteOperation<CustomerDoc> | null;
  memo: CustomerMemo;
}

/** Kept buyers written per round: each is read back (unless remembered) and its entries copied. */
const BUYERS_PER_WRITE = 2_000;

export interface ReadModelWriterOptions {
  /** Entries a profile lists itself before they move to shards (tests: a few). */
  inlineEntries?: number;
  /** Told each buyer's order count as its entries are written. */
  buyerOrders?: (tenantId: string, buyerId: string, orders: number) => void;
  /**
   * Nobody else writes these collections (a rebuild's new generation): the writer remembers what it
   * wrote instead of reading it back, `remembered` documents per collection at most. It also keeps
   * the buyers' changed entries across units of work, up to `pendingEntries`, and writes them when
   * it holds that many or when the run ends (`settleBuyers`): a buyer whose orders span a long
   * history is then written once per that many entries, not once per unit of work.
   */
  sole?: {
    remembered: number;
    pendingEntries: number;
    /** Which ids it takes for written (tests: one answering "maybe" to all, the worst false-positive rate). */
    filter?: () => BloomFilter;
  };
}

/**
 * Applies events to the read models as a unit of work: `apply` folds events in log order into
 * memory, `flush` writes each touched document once. Writes carry the log position in their filter,
 * so re-applying events (redelivery, crash, replay) changes nothing: an upsert that meets a newer
 * document fails on the unique _id and is taken as "already applied". A buyer's revenue and order
 * count are the sum of the contributions listed on their document, one entry per order, each
 * derived from the order's latest state, never incremented.
 * Flush writes buyers before orders: after a crash between the two the batch is redelivered against
 * the old orders and re-derives the same entries, and a buyer an interrupted flush listed an order
 * on is named again by the redelivered events, so its entry is removed if the order went elsewhere.
 * One projector writes at a time: each document has a single writer (FerretDB's updates are
 * read-then-write, and buyers' entries are read, changed, then written).
 * A sole writer (rebuild) writes only the buyers' empty documents with each unit, and keeps their
 * changed entries across units, past the offsets its flushes let commit; a run that resumes after
 * one that died without settling has lost them, and derives every buyer's entries from the orders
 * when it settles.
 */
export function createReadModelWriter(
  db: Db,
  names: ReadModelCollections,
  options: ReadModelWriterOptions = {},
) {
  const orders: Collection<OrderDoc> = db.collection(names.orders);
  const customers: Collection<CustomerDoc> = db.collection(names.customers);
  const products: Collection<ProductDoc> = db.collection(names.products);
  const entryDocs: Collection<BuyerEntriesDoc> = db.collection(names.buyerEntries);
  const { sole, inlineEntries = INLINE_ENTRIES } = options;
  const written = sole && {
    // Only the state: a whole order is ~10 KB of heap, and 20,000 of them most of a rebuild's memory.
    orders: createWrittenDocuments<OrderState>(sole.remembered, sole.filter?.()),
    customers: createWrittenDocuments<CustomerMemo>(sole.remembered, sole.filter?.()),
    // Products are never read back: knowing which exist is enough.
    products: createWrittenDocuments<true>(0, sole.filter?.()),
  };
  const receivers = createReceiverWrites(customers, orders, written?.customers);

  let orderSlots = new Map<string, OrderSlot>();
  /** Sole writer: buyers' changes since their last write, merged across units of work in log order. */
  const pending = new Map<string, BuyerChange>();
  let pendingEntries = 0;
  /** Sole writer: buyers whose empty document a failed flush may not have written. */
  const placeholdersDue = new Set<string>();
  /** Sole writer opened on a generation an earlier run wrote: its pending changes were lost with it. */
  let resumed = false;
  let profiles = new Map<string, Folded<CustomerSnapshot>>();
  let catalog = new Map<string, Folded<ProductSnapshot>>();

  function readOrder(id: string): Promise<OrderState | null> {
    const recalled = recallFrom(written?.orders, id);
    const reading = recalled.known
      ? Promise.resolve(recalled.doc)
      : orders.findOne<OrderState>({ _id: id }, { projection: ORDER_STATE }).then(async (state) =>
          // An order from before `contributions` existed, listed on its buyer as it is.
          state && !state.contributions ? { ...state, ...(await legacyContribution(orders, id)) } : state,
        );
    // Awaited at flush; a failure meanwhile is not unhandled.
    reading.catch(() => undefined);
    return reading;
  }

  function orderSlot(tenantId: string, id: string): OrderSlot {
    const known = orderSlots.get(id);
    if (known) return known;
    const slot: OrderSlot = {
      tenantId,
      reading: readOrder(id),
      snapshot: null,
      deleted: null,
      stored: null,
      next: null,
      named: new Set<string>(),
      receiverKeys: new Set<string>(),
    };
    orderSlots.set(id, slot);
    return slot;
  }

  const isNewer = (current: OrderState | null, position: Position) =>
    current === null || current.position.offset < position.offset;

  /**
   * Each order's latest state after the unit: its latest snapshot if newer than the stored order,
   * then a later delete if newer still. A snapshot supersedes whatever the unit had before it.
   */
  async function resolveOrders(): Promise<void> {
    await Promise.all(
      [...orderSlots].map(async ([id, slot]) => {
        try {
          slot.stored = await (slot.reading ??= readOrder(id));
        } catch (error) {
          slot.reading = null;
          throw error;
        }
        let current: OrderState | null = slot.stored;
        slot.next = null;
        if (slot.snapshot && isNewer(current, slot.snapshot.position)) current = slot.next = slot.snapshot;
        if (slot.deleted && current && isNewer(current, slot.deleted)) {
          const whole = slot.next ?? (await orders.findOne({ _id: id }));
          const { deleted: position } = slot;
          if (whole)
            slot.next = { ...whole, deleted: true, contributions: noRevenue, countsAsOrder: false, position };
        }
      }),
    );
  }

  function fold<T>(
    into: Map<string, Folded<T>>,
    docId: (tenantId: string, aggregateId: string) => string,
    tenantId: string,
    aggregateId: string,
  ) {
    const id = docId(tenantId, aggregateId);
    const folded = into.get(id) ?? { tenantId, aggregateId, upsert: null, deleted: null };
    into.set(id, folded);
    return folded;
  }

  /** Receivers the unit's orders named, or named before it, that they do not name at the end. */
  function lostReceivers(): { tenantId: string; receiverKey: string }[] {
    const lost = new Map<string, { tenantId: string; receiverKey: string }>();
    for (const slot of orderSlots.values()) {
      const latest = slot.next ?? slot.stored;
      const named = new Set(slot.receiverKeys);
      if (slot.stored?.receiverKey) named.add(slot.stored.receiverKey);
      for (const receiverKey of named) {
        if (latest && !latest.deleted && latest.receiverKey === receiverKey) continue;
        lost.set(`${slot.tenantId}:${receiverKey}`, { tenantId: slot.tenantId, receiverKey });
      }
    }
    return [...lost.values()];
  }

  /** Which buyers list which orders after this unit of work: each order on its latest buyer only. */
  function buyerChanges(): BuyerChange[] {
    const changes = new Map<string, BuyerChange>();
    for (const slot of orderSlots.values()) {
      const latest = slot.next ?? slot.stored;
      if (!latest) continue;
      const named = new Set(slot.named);
      if (slot.stored?.buyerId) named.add(slot.stored.buyerId);
      if (latest.buyerId) named.add(latest.buyerId);
      for (const buyerId of named) {
        const key = customerDocId(slot.tenantId, buyerId);
        const change = changes.get(key) ?? {
          tenantId: slot.tenantId,
          buyerId,
          listed: new Map(),
          unlisted: new Set(),
        };
        changes.set(key, change);
        const orderId = latest.orderId;
        if (buyerId === latest.buyerId)
          change.listed.set(orderId, {
            contributions: latest.contributions,
            countsAsOrder: latest.countsAsOrder,
          });
        else change.unlisted.add(orderId);
      }
    }
    return [...changes.values()];
  }

  /** Documents from before the entries existed: their entries start from the buyer's stored orders. */
  async function storedContributions(tenantId: string, buyerId: string) {
    const listed: Record<string, OrderContribution> = {};
    const cursor = orders.find(
      { tenantId, buyerId },
      { projection: { orderId: 1, contributions: 1, countsAsOrder: 1 } },
    );
    for await (const o of cursor) listed[o.orderId] = await storedEntry(orders, o);
    return listed;
  }

  async function storedBuyer(id: string) {
    const recalled = recallFrom(written?.customers, id);
    if (recalled.known) return recalled.doc;
    return customers.findOne(
      { _id: id },
      { projection: { orderContributions: 1, entryShards: 1, receiverSince: 1 } },
    );
  }

  /**
   * The write that lists a buyer's changed entries and their new totals on the profile (null when
   * nothing changed there), and what the profile lists after it. Entries past `inlineEntries` move
   * to shards (`entry-shards.ts`), written here, before the profile.
   */
  async function buyerWrite(change: BuyerChange): Promise<BuyerWrite> {
    const { tenantId, buyerId } = change;
    const id = customerDocId(tenantId, buyerId);
    const buyer = { id, tenantId, buyerId };
    const doc = await storedBuyer(id);
    const receiverSince = doc?.receiverSince;
    const sharded = (w: ShardedWrite, op: BuyerWrite['op']): BuyerWrite => {
      options.buyerOrders?.(tenantId, buyerId, w.orders);
      return { id, op, memo: { entryShards: w.shards, receiverSince } };
    };
    const update = (w: ShardedWrite) =>
      sharded(w, w.profileUpdate && { updateOne: { filter: { _id: id }, update: w.profileUpdate } });
    if (doc?.entryShards && doc.orderContributions === undefined)
      return update(await writeShardedChange(entryDocs, buyer, doc.entryShards, change));
    if (doc?.entryShards) {
      // Both: an earlier version, not knowing shards, listed the buyer's orders on the profile again
      // (from the stored orders) and changed them there. The stored orders say which are theirs.
      const listed = withChange(await storedContributions(tenantId, buyerId), change);
      return update(await writeWholeList(entryDocs, buyer, listed, doc));
    }
    if (!doc) {
      const listed = Object.fromEntries(change.listed);
      if (change.listed.size > inlineEntries) {
        const w = await writeWholeList(entryDocs, buyer, listed, null);
        return sharded(w, {
          insertOne: { document: { _id: id, ...buyerOfShards(tenantId, buyerId, w.shards) } },
        });
      }
      options.buyerOrders?.(tenantId, buyerId, change.listed.size);
      return {
        id,
        op: { insertOne: { document: { _id: id, ...buyerListing(tenantId, buyerId, listed) } } },
        memo: { orderContributions: listed, receiverSince },
      };
    }
    const seeded = doc.orderContributions === undefined;
    const stored = doc.orderContributions ?? (await storedContributions(tenantId, buyerId));
    const listed = withChange(stored, change);
    if (Object.keys(listed).length > inlineEntries)
      return update(await writeWholeList(entryDocs, buyer, listed, doc));
    options.buyerOrders?.(tenantId, buyerId, Object.keys(listed).length);
    const memo = { orderContributions: listed, receiverSince };
    if (seeded) {
      return {
        id,
        op: {
          updateOne: {
            filter: { _id: id },
            update: { $set: { orderContributions: listed, ...totalsOf(listed) } },
          },
        },
        memo,
      };
    }
    if (sameEntries(stored, listed)) return { id, op: null, memo };
    return {
      id,
      op: { updateOne: { filter: { _id: id }, update: entriesUpdate(stored, listed) } },
      memo,
    };
  }

  async function writeBuyers(changes: BuyerChange[]): Promise<void> {
    // Every buyer's write settled before any failure is thrown: one still writing its shards after
    // the flush failed would race the redelivered batch's writes of them.
    const settled = await Promise.allSettled(
      changes.map(async (change) => ({ change, ...(await buyerWrite(change)) })),
    );
    const failed = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
    // A refusal before an outage: the outage would be waited out only to meet the refusal.
    if (failed.length > 0) throw failed.find((error) => !isTransient(error)) ?? failed[0];
    const writes = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const changed = insertsFirst(
      writes.filter((w): w is typeof w & { op: AnyBulkWriteOperation<CustomerDoc> } => w.op !== null),
    );
    const created = await bulk(
      customers,
      changed.map((w) => w.op),
    );
    changed.forEach((w, i) => {
      if (created.has(i)) written?.customers.forget(w.id);
      else written?.customers.remember(w.id, w.memo);
    });
    // A buyer created meanwhile (its own customer event): its entries are updated instead.
    if (created.size > 0) await writeBuyers(changed.filter((_, i) => created.has(i)).map((w) => w.change));
  }

  /**
   * Sole writer: a buyer the unit names that certainly has no document yet gets an empty one now, as
   * the live writer's entries write would give it, so that a customer delete later in the log finds
   * it and a buyer whose orders all move away still exists; the entries themselves wait (`keep`).
   * A buyer the Bloom filter wrongly takes for written (about one in 1,800 at a million) gets its
   * document when its entries are written, or before a customer delete of it. Not in a resumed run,
   * which keeps no entries: there a delete of such a buyer leaves a deleted document
   * (`insertTombstones`), which settling gives its entries.
   */
  async function insertPlaceholders(memory: WrittenDocuments<CustomerMemo>, changes: BuyerChange[]) {
    const inserts = changes.flatMap(({ tenantId, buyerId }) => {
      const id = customerDocId(tenantId, buyerId);
      const recalled = memory.recall(id);
      // A failed flush forgets what it touched: a placeholder it may not have written is tried again.
      if ((!recalled.known && !placeholdersDue.has(id)) || (recalled.known && recalled.doc)) return [];
      placeholdersDue.add(id);
      return [{ id, document: { _id: id, ...emptyContact(tenantId, buyerId, buyerId, true) } }];
    });
    const existed = await bulk(
      customers,
      inserts.map(({ document }) => ({ insertOne: { document } })),
    );
    inserts.forEach(({ id }, i) => {
      placeholdersDue.delete(id);
      if (existed.has(i)) memory.forget(id);
      else memory.remember(id, { orderContributions: {}, receiverSince: undefined });
    });
    // A buyer this run named whose document the filter takes for written (evicted from memory, or a
    // false "written") may have none, and the unit's delete of it must find one. Rare (customer
    // deletes), so one insert each, a duplicate meaning it exists.
    const named = new Map(changes.map((c) => [customerDocId(c.tenantId, c.buyerId), c]));
    for (const [id, { deleted }] of profiles) {
      const buyer = named.get(id) ?? pending.get(id);
      if (!deleted || !buyer || memory.recall(id).known) continue;
      const document = { _id: id, ...emptyContact(buyer.tenantId, buyer.buyerId, buyer.buyerId, true) };
      await ignoreNewer(() => customers.insertOne(document));
    }
  }

  function profileWrites(id: string, { tenantId, upsert, deleted }: Folded<CustomerSnapshot>) {
    const upserts: AnyBulkWriteOperation<CustomerDoc>[] = [];
    const deletes: AnyBulkWriteOperation<CustomerDoc>[] = [];
    const recalled = recallFrom(written?.customers, id);
    const inserted = upsert !== null && recalled.known && !recalled.doc;
    if (upsert && inserted) {
      const { snapshot: c, position } = upsert;
      const document = {
        _id: id,
        ...emptyContact(tenantId, c.customerId, c.customerId, true),
        ...profileOf(c),
        deleted: false,
        position,
      };
      upserts.push({ insertOne: { document } });
    } else if (upsert) {
      const { snapshot: c, position } = upsert;
      upserts.push({
        updateOne: {
          filter: before<CustomerDoc>(id, position),
          update: {
            $set: { ...profileOf(c), deleted: false, position },
            $setOnInsert: {
              tenantId,
              customerId: c.customerId,
              haravanId: c.customerId,
              isBuyer: true,
              source: 'Haravan',
              revenueByPolicy: noRevenue,
              totalOrders: 0,
              // An empty object survives FerretDB's $setOnInsert (empty arrays and nulls do not).
              orderContributions: {},
            },
          },
          upsert: true,
        },
      });
    }
    if (deleted) {
      deletes.push({
        updateOne: {
          filter: before<CustomerDoc>(id, deleted),
          update: { $set: { deleted: true, position: deleted } },
        },
      });
    }
    return { upserts, deletes, inserted };
  }

  /**
   * A customer deleted while no document of theirs exists yet is kept as a deleted document: their
   * orders come on another topic, and whether those were read before or after must not decide
   * whether the profile ends deleted. Rare, so one insert each; a duplicate means the guarded
   * update has marked it (or a newer write holds it).
   */
  async function insertTombstones() {
    for (const [id, { tenantId, aggregateId, upsert, deleted }] of profiles) {
      const recalled = recallFrom(written?.customers, id);
      if (!deleted || upsert || (recalled.known && recalled.doc)) continue;
      const document = {
        _id: id,
        ...emptyContact(tenantId, aggregateId, aggregateId, true),
        deleted: true,
        position: deleted,
      };
      try {
        await customers.insertOne(document);
        written?.customers.remember(id, { orderContributions: {}, receiverSince: undefined });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        written?.customers.forget(id);
      }
    }
  }

  function productWrites(id: string, { tenantId, upsert, deleted }: Folded<ProductSnapshot>) {
    const upserts: AnyBulkWriteOperation<ProductDoc>[] = [];
    const deletes: AnyBulkWriteOperation<ProductDoc>[] = [];
    const recalled = recallFrom(written?.products, id);
    const absent = recalled.known && recalled.doc === null;
    if (upsert) {
      const { snapshot: p, position } = upsert;
      const fields = {
        tenantId,
        ...p,
        skus: p.variants.map((v) => v.sku).filter((sku): sku is string => sku !== null),
        titleLower: searchableText(p.title),
        titleFolded: foldedText(p.title),
        deleted: false,
        position,
      };
      upserts.push(
        absent
          ? { insertOne: { document: { _id: id, ...fields } } }
          : {
              updateOne: { filter: before<ProductDoc>(id, position), update: { $set: fields }, upsert: true },
            },
      );
    }
    if (deleted) {
      deletes.push({
        updateOne: {
          filter: before<ProductDoc>(id, deleted),
          update: { $set: { deleted: true, position: deleted } },
        },
      });
    }
    return { upserts, deletes };
  }

  /** Merges a unit's buyer changes into the pending ones; a later change of an order replaces an earlier. */
  function keep(changes: BuyerChange[]) {
    for (const change of changes) {
      const key = customerDocId(change.tenantId, change.buyerId);
      const kept = pending.get(key) ?? { ...change, listed: new Map(), unlisted: new Set() };
      pending.set(key, kept);
      const before = kept.listed.size + kept.unlisted.size;
      for (const [orderId, entry] of change.listed) {
        kept.listed.set(orderId, entry);
        kept.unlisted.delete(orderId);
      }
      for (const orderId of change.unlisted) {
        kept.listed.delete(orderId);
        kept.unlisted.add(orderId);
      }
      pendingEntries += kept.listed.size + kept.unlisted.size - before;
    }
  }

  /** Writes the kept buyers; false when `stopped()` ended it early (what is left stays kept). */
  async function writePending(stopped: () => boolean = () => false): Promise<boolean> {
    try {
      // In slices: each buyer's whole entry list is read and copied while it is written.
      const buyers = [...pending.values()];
      for (let i = 0; i < buyers.length; i += BUYERS_PER_WRITE) {
        if (stopped()) return false;
        await writeBuyers(buyers.slice(i, i + BUYERS_PER_WRITE));
      }
    } catch (error) {
      for (const id of pending.keys()) written?.customers.forget(id);
      throw error;
    }
    pending.clear();
    pendingEntries = 0;
    return true;
  }

  async function writeUnitOfWork(changes: BuyerChange[]): Promise<void> {
    if (written) await insertPlaceholders(written.customers, changes);
    else await writeBuyers(changes);
    // Receivers before the orders: a unit redelivered after a crash between the two still finds
    // the orders as they were, so the receivers they no longer name are found again.
    await receivers.write();
    const unitOrders = new Map(
      [...orderSlots.values()].flatMap(({ next }): [string, OrderDoc][] => (next ? [[next._id, next]] : [])),
    );
    await receivers.rederive(lostReceivers(), unitOrders);

    // New orders are inserted (cheaper than an upsert that matches nothing); an insert that meets a
    // document written meanwhile falls back to the guarded upsert.
    const orderWrites = insertsFirst(
      [...orderSlots.values()].flatMap(({ stored, next }) => {
        if (!next) return [];
        const { _id, ...fields } = next;
        const guarded: AnyBulkWriteOperation<OrderDoc> = {
          updateOne: { filter: before<OrderDoc>(_id, next.position), update: { $set: fields }, upsert: true },
        };
        return [
          stored
            ? { doc: next, op: guarded, fallback: null }
            : { doc: next, op: { insertOne: { document: next } }, fallback: guarded },
        ];
      }),
    );
    const existed = await bulk(
      orders,
      orderWrites.map((w) => w.op),
    );
    await bulk(
      orders,
      orderWrites.flatMap((w, i) => (w.fallback && existed.has(i) ? [w.fallback] : [])),
    );
    orderWrites.forEach(({ doc }, i) => {
      if (existed.has(i)) written?.orders.forget(doc._id);
      else written?.orders.remember(doc._id, stateOf(doc));
    });
    // Deletes after upserts (bulk writes are ordered): a delete folded after an upsert must land on it.
    const profileOps = [...profiles].map(([id, folded]) => ({ id, ...profileWrites(id, folded) }));
    const profileUpserts = insertsFirst(profileOps.flatMap((w) => w.upserts.map((op) => ({ ...w, op }))));
    const profileFailed = await bulk(customers, [
      ...profileUpserts.map((w) => w.op),
      ...profileOps.flatMap((w) => w.deletes),
    ]);
    profileUpserts.forEach(({ id, inserted }, i) => {
      if (!inserted) return;
      if (profileFailed.has(i)) written?.customers.forget(id);
      else written?.customers.remember(id, { orderContributions: {}, receiverSince: undefined });
    });
    await insertTombstones();
    const productOps = [...catalog].map(([id, folded]) => productWrites(id, folded));
    await bulk(products, [
      ...insertsFirst(productOps.flatMap((w) => w.upserts.map((op) => ({ op })))).map((w) => w.op),
      ...productOps.flatMap((w) => w.deletes),
    ]);
    for (const id of catalog.keys()) written?.products.remember(id, true);
  }

  function forgetUnitOfWork(buyerIds: string[]) {
    if (!written) return;
    for (const id of orderSlots.keys()) written.orders.forget(id);
    for (const id of [...buyerIds, ...receivers.ids(), ...profiles.keys()]) written.customers.forget(id);
    for (const id of catalog.keys()) written.products.forget(id);
  }

  function discard() {
    orderSlots = new Map();
    receivers.clear();
    profiles = new Map();
    catalog = new Map();
  }

  return {
    /** Folds one event into the unit of work; nothing is written before `flush`. */
    apply(event: DomainEvent, position: Position): void {
      const tenantId = event.metadata.tenantId;
      switch (event.type) {
        case 'OrderCreated':
        case 'OrderUpdated':
        case 'PaymentStatusChanged':
        case 'OrderCancelled': {
          const doc = toOrderDoc(tenantId, event.data.order, false, position);
          const slot = orderSlot(tenantId, doc._id);
          if (doc.buyerId) slot.named.add(doc.buyerId);
          // Log order makes each event newer than the last; the check keeps that from being assumed.
          if (isNewer(slot.snapshot, position)) {
            slot.snapshot = doc;
            if (slot.deleted && slot.deleted.offset < position.offset) slot.deleted = null;
          }
          // Guarded by the order's creation time, not its position: applied even when the order is not newer.
          if (doc.receiverKey) {
            receivers.fold(tenantId, event.data.order, doc.receiverKey);
            slot.receiverKeys.add(doc.receiverKey);
          }
          return;
        }
        case 'OrderDeleted': {
          const slot = orderSlot(tenantId, orderDocId(tenantId, event.data.orderId));
          if (!slot.deleted || slot.deleted.offset < position.offset) slot.deleted = position;
          return;
        }
        case 'CustomerUpserted': {
          const c = event.data.customer;
          const folded = fold(profiles, customerDocId, tenantId, c.customerId);
          folded.upsert = { snapshot: c, position };
          folded.deleted = null;
          return;
        }
        case 'CustomerDeleted':
          fold(profiles, customerDocId, tenantId, event.data.customerId).deleted = position;
          return;
        case 'ProductUpserted': {
          const p = event.data.product;
          const folded = fold(catalog, productDocId, tenantId, p.productId);
          folded.upsert = { snapshot: p, position };
          folded.deleted = null;
          return;
        }
        case 'ProductDeleted':
          fold(catalog, productDocId, tenantId, event.data.productId).deleted = position;
          return;
      }
    },
    /**
     * Writes the unit of work, each touched document once, then empties it. Safe to retry after a
     * failure: every write is idempotent and the buyers' entries are re-derived.
     */
    async flush(): Promise<void> {
      await resolveOrders();
      const changes = buyerChanges();
      try {
        await writeUnitOfWork(changes);
      } catch (error) {
        // Some writes may have landed: what the writer remembered of these documents is stale.
        forgetUnitOfWork(changes.map((c) => customerDocId(c.tenantId, c.buyerId)));
        throw error;
      }
      discard();
      // A resumed run derives every buyer from the orders at the end: keeping changes is no use.
      if (!sole || resumed) return;
      keep(changes);
      if (pendingEntries >= sole.pendingEntries) await writePending();
    },
    /**
     * A sole writer's last call, once nothing more is applied: writes the buyers' pending entries and
     * totals. A resumed run's predecessor lost its pending changes, so after one every buyer's
     * entries are derived from the orders instead (a scan of them).
     */
    async settleBuyers(
      stopped: () => boolean,
    ): Promise<{ buyers: number; fromOrders: boolean; settled: boolean }> {
      if (resumed)
        return { ...(await settleBuyersFromOrders(db, names, stopped, inlineEntries)), fromOrders: true };
      const buyers = pending.size;
      return { buyers, fromOrders: false, settled: await writePending(stopped) };
    },
    /** Drops what was applied but not flushed: a unit of work that failed is redelivered whole. */
    discard,
    /** Creates the indexes; a sole writer resuming a generation learns which documents exist. */
    async open(): Promise<void> {
      await ensureReadModelIndexes(db, names);
      if (!written) return;
      let learned = 0;
      const learn = async <T extends { _id: string }>(
        collection: Collection<T>,
        memory: { forget(id: string): void },
      ) => {
        for await (const { _id } of collection.find({}, { projection: { _id: 1 } })) {
          memory.forget(String(_id));
          learned += 1;
        }
      };
      await learn(orders, written.orders);
      await learn(customers, written.customers);
      await learn(products, written.products);
      resumed = learned > 0;
    },
  };
}
export type ReadModelWriter = ReturnType<typeof createReadModelWriter>;

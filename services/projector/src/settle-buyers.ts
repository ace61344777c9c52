import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import {
  customerDocId,
  spreadHash,
  totalsOf,
  type BuyerEntriesDoc,
  type CustomerDoc,
  type OrderDoc,
  type ReadModelCollections,
} from '@cdp/read-models';
import { bulk } from '@cdp/mongo';
import { insertsFirst } from './bulk-writes';
import { buyerListing, buyerOfShards } from './contact-documents';
import { INLINE_ENTRIES, writeWholeList, type Buyer } from './entry-shards';
import { entriesUpdate, sameEntries, type Entries } from './contribution-entries';
import { storedEntry } from './legacy-contribution';

/** Entries one pass holds in memory (~30 MB); a generation with more orders takes several passes. */
const ENTRIES_PER_PASS = 200_000;
const WRITES_PER_BULK = 500;

/** Which pass a buyer falls in: a stable hash of their document id. */
const passOf = (id: string, passes: number): number => spreadHash(id) % passes;

/**
 * Derives every buyer's entries and totals from a generation's orders, nothing else writing it:
 * where the stored ones differ they are replaced, a buyer met only through orders is created, and
 * one whose orders all went to another buyer is emptied. Scans the orders and the contacts once per
 * 200,000 orders (FerretDB pushes no equality but `_id` down to SQLite, so a query per buyer would
 * scan the orders once each). Stops between writes once `stopped()` says so (settled: false).
 */
export async function settleBuyersFromOrders(
  db: Db,
  names: ReadModelCollections,
  stopped: () => boolean,
  inlineEntries = INLINE_ENTRIES,
): Promise<{ buyers: number; settled: boolean }> {
  const orders: Collection<OrderDoc> = db.collection(names.orders);
  const customers: Collection<CustomerDoc> = db.collection(names.customers);
  const entryDocs: Collection<BuyerEntriesDoc> = db.collection(names.buyerEntries);
  const passes = Math.max(1, Math.ceil((await orders.estimatedDocumentCount()) / ENTRIES_PER_PASS));
  let buyers = 0;
  for (let pass = 0; pass < passes; pass++) {
    const derived = await entriesOfPass(orders, pass, passes);
    buyers += derived.size;
    let writes: AnyBulkWriteOperation<CustomerDoc>[] = [];
    /** Writes what is queued when `force` or the queue is full; false once stopped. */
    const write = async (force: boolean): Promise<boolean> => {
      if (!force && writes.length < WRITES_PER_BULK) return true;
      if (stopped()) return false;
      await bulk(
        customers,
        insertsFirst(writes.map((op) => ({ op }))).map((w) => w.op),
      );
      writes = [];
      return true;
    };
    /** A buyer whose entries are, or go, in shards: those written first, then its profile's sums. */
    const sharded = async (buyer: Buyer, listed: Entries, profile: CustomerDoc | null) =>
      stopped() ? null : writeWholeList(entryDocs, buyer, listed, profile);
    const fields = { tenantId: 1, customerId: 1, orderContributions: 1, entryShards: 1 };
    const contacts = customers.find({}, { projection: fields });
    for await (const contact of contacts) {
      if (passOf(contact._id, passes) !== pass) continue;
      const listed = derived.get(contact._id)?.listed ?? {};
      derived.delete(contact._id);
      if (contact.entryShards || Object.keys(listed).length > inlineEntries) {
        const buyer = { id: contact._id, tenantId: contact.tenantId, buyerId: contact.customerId };
        const w = await sharded(buyer, listed, contact);
        if (!w) return { buyers, settled: false };
        if (!w.profileUpdate) continue;
        writes.push({ updateOne: { filter: { _id: contact._id }, update: w.profileUpdate } });
        if (!(await write(false))) return { buyers, settled: false };
        continue;
      }
      const stored = contact.orderContributions;
      if (sameEntries(stored ?? {}, listed)) continue;
      const update =
        stored === undefined
          ? { $set: { orderContributions: listed, ...totalsOf(listed) } }
          : entriesUpdate(stored, listed);
      writes.push({ updateOne: { filter: { _id: contact._id }, update } });
      if (!(await write(false))) return { buyers, settled: false };
    }
    for (const [id, { tenantId, buyerId, listed }] of derived) {
      if (Object.keys(listed).length > inlineEntries) {
        const w = await sharded({ id, tenantId, buyerId }, listed, null);
        if (!w) return { buyers, settled: false };
        writes.push({ insertOne: { document: { _id: id, ...buyerOfShards(tenantId, buyerId, w.shards) } } });
        if (!(await write(false))) return { buyers, settled: false };
        continue;
      }
      writes.push({ insertOne: { document: { _id: id, ...buyerListing(tenantId, buyerId, listed) } } });
      if (!(await write(false))) return { buyers, settled: false };
    }
    if (!(await write(true))) return { buyers, settled: false };
  }
  return { buyers, settled: true };
}

/** The entries of the buyers in one pass, from a scan of the orders. */
async function entriesOfPass(orders: Collection<OrderDoc>, pass: number, passes: number) {
  const derived = new Map<string, { tenantId: string; buyerId: string; listed: Entries }>();
  const fields = { tenantId: 1, buyerId: 1, orderId: 1, contributions: 1, countsAsOrder: 1 };
  for await (const o of orders.find({}, { projection: fields })) {
    if (!o.buyerId) continue;
    const id = customerDocId(o.tenantId, o.buyerId);
    if (passOf(id, passes) !== pass) continue;
    const buyer = derived.get(id) ?? { tenantId: o.tenantId, buyerId: o.buyerId, listed: {} };
    derived.set(id, buyer);
    buyer.listed[o.orderId] = await storedEntry(orders, o);
  }
  return derived;
}

import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import {
  customerDocId,
  sameContribution,
  totalsOf,
  type CustomerDoc,
  type OrderContribution,
  type OrderDoc,
  type ReadModelCollections,
} from '@cdp/read-models';
import { bulk, insertsFirst } from './bulk-writes';
import { emptyContact } from './contact-documents';

type Entries = Record<string, OrderContribution>;

/** Entries one pass holds in memory (~30 MB); a generation with more orders takes several passes. */
const ENTRIES_PER_PASS = 200_000;
const WRITES_PER_BULK = 500;

const sameEntries = (a: Entries, b: Entries) =>
  Object.keys(a).length === Object.keys(b).length &&
  Object.entries(b).every(([orderId, entry]) => sameContribution(a[orderId], entry));

/** Which pass a buyer falls in: a stable hash of their document id. */
function passOf(id: string, passes: number): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (Math.imul(hash, 31) + id.charCodeAt(i)) | 0;
  return (hash >>> 0) % passes;
}

/**
 * Derives every buyer's entries and totals from a generation's orders, nothing else writing it:
 * where the stored ones differ they are replaced, a buyer met only through orders is created, and
 * one whose orders all went to another buyer is emptied. Scans the orders and the contacts (FerretDB
 * pushes no equality but `_id` down to SQLite, so a query per buyer would scan them once each).
 */
export async function settleBuyersFromOrders(
  db: Db,
  names: ReadModelCollections,
): Promise<{ buyers: number }> {
  const orders: Collection<OrderDoc> = db.collection(names.orders);
  const customers: Collection<CustomerDoc> = db.collection(names.customers);
  const passes = Math.max(1, Math.ceil((await orders.estimatedDocumentCount()) / ENTRIES_PER_PASS));
  let buyers = 0;
  for (let pass = 0; pass < passes; pass++) {
    const derived = new Map<string, { tenantId: string; buyerId: string; listed: Entries }>();
    const fields = { _id: 0, tenantId: 1, buyerId: 1, orderId: 1, contributions: 1, countsAsOrder: 1 };
    for await (const o of orders.find({}, { projection: fields })) {
      if (!o.buyerId) continue;
      const id = customerDocId(o.tenantId, o.buyerId);
      if (passOf(id, passes) !== pass) continue;
      const buyer = derived.get(id) ?? { tenantId: o.tenantId, buyerId: o.buyerId, listed: {} };
      derived.set(id, buyer);
      buyer.listed[o.orderId] = { contributions: o.contributions, countsAsOrder: o.countsAsOrder };
    }
    buyers += derived.size;

    let writes: { op: AnyBulkWriteOperation<CustomerDoc> }[] = [];
    const write = async () => {
      await bulk(
        customers,
        insertsFirst(writes).map((w) => w.op),
      );
      writes = [];
    };
    const contacts = customers.find({}, { projection: { tenantId: 1, orderContributions: 1 } });
    for await (const contact of contacts) {
      if (passOf(contact._id, passes) !== pass) continue;
      const listed = derived.get(contact._id)?.listed ?? {};
      derived.delete(contact._id);
      if (sameEntries(contact.orderContributions ?? {}, listed)) continue;
      const update = { $set: { orderContributions: listed, ...totalsOf(listed) } };
      writes.push({ op: { updateOne: { filter: { _id: contact._id }, update } } });
      if (writes.length >= WRITES_PER_BULK) await write();
    }
    for (const [id, { tenantId, buyerId, listed }] of derived) {
      const document = {
        _id: id,
        ...emptyContact(tenantId, buyerId, buyerId, true),
        orderContributions: listed,
        ...totalsOf(listed),
      };
      writes.push({ op: { insertOne: { document } } });
      if (writes.length >= WRITES_PER_BULK) await write();
    }
    await write();
  }
  return { buyers };
}

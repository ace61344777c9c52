import type { Collection, Db, Filter } from 'mongodb';
import {
  fromUnits,
  normalizePhone,
  toUnits,
  type CustomerSnapshot,
  type DomainEvent,
  type OrderSnapshot,
  type ProductSnapshot,
} from '@cdp/contracts';
import { isDuplicateKey } from '@cdp/mongo';
import {
  customerDocId,
  ensureReadModelIndexes,
  orderDocId,
  productDocId,
  receiverIdOf,
  toOrderDoc,
  type CustomerDoc,
  type OrderDoc,
  type Position,
  type ProductDoc,
  type ReadModelCollections,
  noRevenue,
  revenuePolicies,
  type ByPolicy,
  type RevenuePolicy,
} from '@cdp/read-models';

type Guarded = { _id: string; position: Position | null };

/** Matches a document not yet written from this position or later (or not written by this stream at all). */
const before = <T extends Guarded>(id: string, position: Position): Filter<T> =>
  ({ _id: id, $or: [{ position: null }, { 'position.offset': { $lt: position.offset } }] }) as Filter<T>;

/**
 * A contact first met through an order, complete with empty fields; its own events fill the rest.
 * Inserted whole: FerretDB drops null and empty-array values given in an upsert's `$setOnInsert`.
 */
const emptyContact = (
  tenantId: string,
  customerId: string,
  haravanId: string | null,
  isBuyer: boolean,
): Omit<CustomerDoc, '_id'> => ({
  tenantId,
  customerId,
  haravanId,
  isBuyer,
  source: 'Haravan' as const,
  firstName: null,
  lastName: null,
  email: null,
  emailLower: null,
  gender: null,
  birthday: null,
  tags: [],
  acceptsMarketing: false,
  state: null,
  note: null,
  createdAt: null,
  updatedAt: null,
  deleted: false,
  name: null,
  nameLower: null,
  phone: null,
  addresses: [],
  revenueByPolicy: noRevenue,
  totalOrders: 0,
  position: null,
});

function profileOf(c: CustomerSnapshot) {
  return {
    name: c.name,
    nameLower: c.name?.trim().toLowerCase() ?? null,
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    emailLower: c.email?.trim().toLowerCase() ?? null,
    // R8: an empty phone falls back to the default address's phone.
    phone: normalizePhone(c.phone) ?? normalizePhone(c.addresses.find((a) => a.isDefault)?.phone),
    gender: c.gender,
    birthday: c.birthday,
    tags: c.tags,
    acceptsMarketing: c.acceptsMarketing,
    state: c.state,
    note: c.note,
    addresses: c.addresses,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/**
 * Applies one event to the read models. Writes carry the event's log position in their filter, so
 * re-applying an event (redelivery, crash, replay) changes nothing: an upsert that meets a newer
 * document fails on the unique _id and is taken as "already applied". A buyer's revenue and order
 * count are recomputed from the latest state of each of their orders, never incremented.
 * One projector applies events one at a time: each document has a single writer (FerretDB's
 * updates are read-then-write).
 */
export function createReadModelWriter(db: Db, names: ReadModelCollections) {
  const orders: Collection<OrderDoc> = db.collection(names.orders);
  const customers: Collection<CustomerDoc> = db.collection(names.customers);
  const products: Collection<ProductDoc> = db.collection(names.products);

  const ignoreNewer = async (write: () => Promise<unknown>) => {
    try {
      await write();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  };

  async function refreshTotals(tenantId: string, buyerId: string) {
    const revenue = Object.fromEntries(revenuePolicies.map((p) => [p, 0n])) as Record<RevenuePolicy, bigint>;
    let totalOrders = 0;
    const cursor = orders.find({ tenantId, buyerId }, { projection: { contributions: 1, countsAsOrder: 1 } });
    for await (const order of cursor) {
      for (const p of revenuePolicies) revenue[p] += toUnits(order.contributions[p]);
      if (order.countsAsOrder) totalOrders += 1;
    }
    const id = customerDocId(tenantId, buyerId);
    const revenueByPolicy = Object.fromEntries(
      revenuePolicies.map((p) => [p, fromUnits(revenue[p])]),
    ) as ByPolicy;
    const totals = { revenueByPolicy, totalOrders };
    const updated = await customers.updateOne({ _id: id }, { $set: totals });
    if (updated.matchedCount === 0) {
      await ignoreNewer(() =>
        customers.insertOne({ _id: id, ...emptyContact(tenantId, buyerId, buyerId, true), ...totals }),
      );
    }
  }

  /** R12: the receiver named by the newest order's shipping address; the order stays on the buyer. */
  async function upsertReceiver(tenantId: string, order: OrderSnapshot, receiverKey: string) {
    const address = order.shippingAddress;
    if (!address) return;
    const customerId = receiverIdOf(receiverKey);
    const id = customerDocId(tenantId, customerId);
    const shown = {
      name: address.name,
      nameLower: address.name?.trim().toLowerCase() ?? null,
      phone: normalizePhone(address.phone),
      addresses: [{ ...address, isDefault: true }],
      receiverSince: order.createdAt,
    };
    const updated = await customers.updateOne(
      { _id: id, $or: [{ receiverSince: { $exists: false } }, { receiverSince: { $lte: order.createdAt } }] },
      { $set: shown },
    );
    // No match: either a new receiver, or one already showing a newer order (the insert then fails).
    if (updated.matchedCount === 0) {
      await ignoreNewer(() =>
        customers.insertOne({ _id: id, ...emptyContact(tenantId, customerId, null, false), ...shown }),
      );
    }
  }

  /** Returns the buyers whose totals the order affects: its buyer, and a previous one it moved from. */
  async function applyOrder(tenantId: string, order: OrderSnapshot, position: Position): Promise<string[]> {
    const doc = toOrderDoc(tenantId, order, false, position);
    const { _id, ...fields } = doc;
    let previous: { buyerId: string | null } | null = null;
    try {
      previous = await orders.findOneAndUpdate(
        before<OrderDoc>(_id, position),
        { $set: fields },
        // No projection: FerretDB's findAndModify does not support one.
        { upsert: true, returnDocument: 'before' },
      );
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // Already applied (a redelivery) or superseded: its buyer's totals are still refreshed, which is harmless.
    }
    if (doc.receiverKey) await upsertReceiver(tenantId, order, doc.receiverKey);
    return [
      ...new Set([previous?.buyerId, doc.buyerId].filter((id): id is string => typeof id === 'string')),
    ];
  }

  return {
    /**
     * Applies one event and returns the buyers whose totals it affects; the caller refreshes them
     * (once per batch) with `refreshTotals` before the batch's offsets are committed.
     */
    async apply(event: DomainEvent, position: Position): Promise<string[]> {
      const tenantId = event.metadata.tenantId;
      switch (event.type) {
        case 'OrderCreated':
        case 'OrderUpdated':
        case 'PaymentStatusChanged':
        case 'OrderCancelled':
          return applyOrder(tenantId, event.data.order, position);
        case 'OrderDeleted': {
          const id = orderDocId(tenantId, event.data.orderId);
          await orders.updateOne(before<OrderDoc>(id, position), {
            $set: { deleted: true, contributions: noRevenue, countsAsOrder: false, position },
          });
          const buyerId = (await orders.findOne({ _id: id }, { projection: { buyerId: 1 } }))?.buyerId;
          return buyerId ? [buyerId] : [];
        }
        case 'CustomerUpserted': {
          const c = event.data.customer;
          const id = customerDocId(tenantId, c.customerId);
          await ignoreNewer(() =>
            customers.updateOne(
              before<CustomerDoc>(id, position),
              {
                $set: { ...profileOf(c), deleted: false, position },
                $setOnInsert: {
                  tenantId,
                  customerId: c.customerId,
                  haravanId: c.customerId,
                  isBuyer: true,
                  source: 'Haravan',
                  revenueByPolicy: noRevenue,
                  totalOrders: 0,
                },
              },
              { upsert: true },
            ),
          );
          return [];
        }
        case 'CustomerDeleted': {
          const id = customerDocId(tenantId, event.data.customerId);
          await customers.updateOne(before<CustomerDoc>(id, position), { $set: { deleted: true, position } });
          return [];
        }
        case 'ProductUpserted': {
          const p: ProductSnapshot = event.data.product;
          const id = productDocId(tenantId, p.productId);
          const fields = {
            tenantId,
            ...p,
            skus: p.variants.map((v) => v.sku).filter((sku): sku is string => sku !== null),
            titleLower: p.title.toLowerCase(),
            deleted: false,
            position,
          };
          await ignoreNewer(() =>
            products.updateOne(before<ProductDoc>(id, position), { $set: fields }, { upsert: true }),
          );
          return [];
        }
        case 'ProductDeleted': {
          const id = productDocId(tenantId, event.data.productId);
          await products.updateOne(before<ProductDoc>(id, position), { $set: { deleted: true, position } });
          return [];
        }
      }
    },
    refreshTotals,
    ensureIndexes: () => ensureReadModelIndexes(db, names),
  };
}
export type ReadModelWriter = ReturnType<typeof createReadModelWriter>;

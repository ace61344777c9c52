import type { Db } from 'mongodb';
import {
  normalizePhone,
  type CustomerSnapshot,
  type DomainEvent,
  type ProductSnapshot,
} from '@cdp/contracts';
import { isDuplicateKey } from '@cdp/mongo';
import { orderDocId, toOrderDoc, type OrderDoc, type Position } from './order-doc';
import type { RevenuePolicy } from './revenue-policy';

export interface ReadModelCollections {
  orders: string;
  customers: string;
  products: string;
}

export const defaultCollections: ReadModelCollections = {
  orders: 'orders',
  customers: 'customers',
  products: 'products',
};

/**
 * Applies one event to the read models. Every write carries the event's log position in its
 * filter, so re-applying an event (redelivery, crash, replay) changes nothing: an upsert that
 * meets a newer document fails on the unique _id and is taken as "already applied".
 */
export function createReadModelWriter(db: Db, names: ReadModelCollections, policy: RevenuePolicy) {
  const orders = db.collection<OrderDoc>(names.orders);
  const customers = db.collection<{ _id: string }>(names.customers);
  const products = db.collection<{ _id: string }>(names.products);

  const guarded = async (write: () => Promise<unknown>) => {
    try {
      await write();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  };
  const olderThan = (id: string, position: Position) => ({
    _id: id,
    'position.offset': { $lt: position.offset },
  });

  const customerDoc = (tenantId: string, c: CustomerSnapshot, position: Position) => ({
    tenantId,
    haravanId: c.customerId,
    isBuyer: true,
    source: 'Haravan',
    name: c.name,
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    emailLower: c.email?.trim().toLowerCase() ?? null,
    nameLower: c.name?.trim().toLowerCase() ?? null,
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
    deleted: false,
    position,
  });

  const productDoc = (tenantId: string, p: ProductSnapshot, position: Position) => ({
    tenantId,
    ...p,
    skus: p.variants.map((v) => v.sku).filter((sku): sku is string => sku !== null),
    titleLower: p.title.toLowerCase(),
    deleted: false,
    position,
  });

  return {
    async apply(event: DomainEvent, position: Position): Promise<void> {
      const tenantId = event.metadata.tenantId;
      switch (event.type) {
        case 'OrderCreated':
        case 'OrderUpdated':
        case 'PaymentStatusChanged':
        case 'OrderCancelled': {
          const doc = toOrderDoc(tenantId, event.data.order, false, position, policy);
          const { _id, ...fields } = doc;
          return guarded(() =>
            orders.updateOne(olderThan(_id, position), { $set: fields }, { upsert: true }),
          );
        }
        case 'OrderDeleted': {
          const id = orderDocId(tenantId, event.data.orderId);
          await orders.updateOne(olderThan(id, position), {
            $set: { deleted: true, revenueContribution: '0', countsAsOrder: false, position },
          });
          return;
        }
        case 'CustomerUpserted': {
          const id = `${tenantId}:${event.data.customer.customerId}`;
          const fields = customerDoc(tenantId, event.data.customer, position);
          return guarded(() =>
            customers.updateOne(olderThan(id, position), { $set: fields }, { upsert: true }),
          );
        }
        case 'CustomerDeleted': {
          const id = `${tenantId}:${event.data.customerId}`;
          await customers.updateOne(olderThan(id, position), { $set: { deleted: true, position } });
          return;
        }
        case 'ProductUpserted': {
          const id = `${tenantId}:${event.data.product.productId}`;
          const fields = productDoc(tenantId, event.data.product, position);
          return guarded(() =>
            products.updateOne(olderThan(id, position), { $set: fields }, { upsert: true }),
          );
        }
        case 'ProductDeleted': {
          const id = `${tenantId}:${event.data.productId}`;
          await products.updateOne(olderThan(id, position), { $set: { deleted: true, position } });
          return;
        }
      }
    },
    async ensureIndexes(): Promise<void> {
      await orders.createIndex({ tenantId: 1, buyerId: 1 });
      await orders.createIndex({ tenantId: 1, receiverKey: 1 });
      await customers.createIndex({ tenantId: 1, phone: 1 });
      await customers.createIndex({ tenantId: 1, emailLower: 1 });
      await customers.createIndex({ tenantId: 1, haravanId: 1 });
      await products.createIndex({ tenantId: 1, skus: 1 });
    },
  };
}
export type ReadModelWriter = ReturnType<typeof createReadModelWriter>;

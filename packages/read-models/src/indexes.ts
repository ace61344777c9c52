import type { Db } from 'mongodb';
import type { ReadModelCollections } from './collections';
import { ORDERS_NEWEST_FIRST } from './order-doc';

/**
 * Every read-API query is an `_id` lookup or an equality on one of these; the order lists (newest
 * first, a page at a time) walk the index of their equality in its `createdAt, _id` order. MongoDB
 * uses them; FerretDB's SQLite backend takes only an `_id` equality to SQLite (its explain says
 * `filterPushdown: false` for the rest), so there the others scan the collection, and ranges and
 * sorts happen in FerretDB.
 */
export async function ensureReadModelIndexes(db: Db, names: ReadModelCollections): Promise<void> {
  const orders = db.collection(names.orders);
  const customers = db.collection(names.customers);
  const products = db.collection(names.products);
  await Promise.all([
    orders.createIndex({ tenantId: 1, buyerId: 1, ...ORDERS_NEWEST_FIRST }),
    orders.createIndex({ tenantId: 1, receiverKey: 1, ...ORDERS_NEWEST_FIRST }),
    orders.createIndex({ tenantId: 1, ...ORDERS_NEWEST_FIRST }),
    orders.createIndex({ tenantId: 1, 'order.financialStatus': 1, ...ORDERS_NEWEST_FIRST }),
    orders.createIndex({ tenantId: 1, 'order.locationId': 1, ...ORDERS_NEWEST_FIRST }),
    // The revenue report's equality and, on MongoDB, its `createdAt` range.
    orders.createIndex({ tenantId: 1, countsAsOrder: 1, createdAt: 1 }),
    customers.createIndex({ tenantId: 1, phone: 1 }),
    customers.createIndex({ tenantId: 1, emailLower: 1 }),
    customers.createIndex({ tenantId: 1, haravanId: 1 }),
    customers.createIndex({ tenantId: 1, nameLower: 1 }),
    customers.createIndex({ tenantId: 1, nameFolded: 1 }),
    products.createIndex({ tenantId: 1, skus: 1 }),
    products.createIndex({ tenantId: 1 }),
    products.createIndex({ tenantId: 1, titleLower: 1 }),
    products.createIndex({ tenantId: 1, titleFolded: 1 }),
  ]);
  // Prefixes of the order lists' indexes before these walked createdAt: kept, they would only cost every write.
  await Promise.all(REPLACED_ORDER_INDEXES.map((name) => orders.dropIndex(name).catch(() => undefined)));
}

const REPLACED_ORDER_INDEXES = ['tenantId_1_buyerId_1', 'tenantId_1_receiverKey_1', 'tenantId_1'];

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fulfillmentStatuses } from '@cdp/contracts';
import type { OrderDoc } from '@cdp/read-models';
import { createTestDb, resolveInfra, type TestDb } from '@cdp/testing';
import { orderStatusFilter } from './order-status-filter';
import { orderStatusOf, orderStatuses } from './order-view';
import { orderDoc } from './read-model-docs.test-helper';

describe('the order status filter', () => {
  let testDb: TestDb;
  const docs: OrderDoc[] = [];

  beforeAll(async () => {
    testDb = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'status_filter' });
    // Every combination of the fields the status is decided from, one order each.
    for (const cancelled of [false, true])
      for (const closed of [false, true])
        for (const confirmed of [false, true])
          for (const fulfillmentStatus of [null, ...fulfillmentStatuses, 'đang giao'])
            docs.push(
              orderDoc('t', {
                orderId: String(1000 + docs.length),
                cancelled,
                closed,
                confirmed,
                fulfillmentStatus,
              }),
            );
    await testDb.db.collection<OrderDoc>('orders').insertMany(docs);
  });

  afterAll(async () => {
    await testDb?.cleanup();
  });

  it.each(orderStatuses)('finds in the store exactly the orders whose status is %s', async (status) => {
    const found = await testDb.db
      .collection<OrderDoc>('orders')
      .find(orderStatusFilter(status), { projection: { orderId: 1 } })
      .toArray();

    const expected = docs.filter((d) => orderStatusOf(d.order) === status).map((d) => d.orderId);
    expect(expected.length).toBeGreaterThan(0);
    expect(found.map((d) => d.orderId).sort()).toEqual(expected.sort());
  });
});

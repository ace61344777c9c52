import { z } from 'zod';
import type { Collection, Filter } from 'mongodb';
import { ORDERS_NEWEST_FIRST, orderDocId, type OrderDoc, type RevenuePolicy } from '@cdp/read-models';
import { cursorParam, pageOf } from './pagination';
import {
  ORDER_VIEW_PROJECTION,
  orderView,
  type OrderStatus,
  type OrderView,
  type OrderViewFields,
} from './order-view';
import { orderStatusFilter } from './order-status-filter';
import { createdAtWithin, type TimeRange } from './time-range';

/** Within the range of a Date, as the key is read back into one. */
const createdMs = z.number().min(-8.64e15).max(8.64e15);
/** Newest first (R15): created time, then the id, so orders created in the same instant keep one order. */
export const orderCursorParam = cursorParam(z.tuple([createdMs, z.string()]));
type OrderKey = readonly [number, string];

export interface OrderPageQuery {
  limit: number;
  cursor?: OrderKey | undefined;
  status?: OrderStatus | undefined;
  range?: TimeRange;
}

/** The orders after `cursor` in the order of `ORDERS_NEWEST_FIRST`. */
const after = (tenantId: string, [ms, orderId]: OrderKey): Filter<OrderDoc> => {
  const at = new Date(ms).toISOString();
  return {
    $or: [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: orderDocId(tenantId, orderId) } }],
  };
};

/**
 * A page of a tenant's orders matching `filter` (equalities the indexes lead with), read from the
 * store a page at a time: with MongoDB, an index walk of `limit + 1` entries.
 */
export async function orderPage(
  orders: Collection<OrderDoc>,
  tenantId: string,
  filter: Filter<OrderDoc>,
  query: OrderPageQuery,
  policy: RevenuePolicy,
): Promise<{ items: OrderView[]; nextCursor: string | null }> {
  const { cursor, status, range, limit } = query;
  const docs = await orders
    .find<OrderViewFields>(
      {
        ...filter,
        tenantId,
        deleted: false,
        ...(range && createdAtWithin(range)),
        ...(status && orderStatusFilter(status)),
        ...(cursor && after(tenantId, cursor)),
      },
      { projection: ORDER_VIEW_PROJECTION, sort: ORDERS_NEWEST_FIRST, limit: limit + 1 },
    )
    .toArray();
  return pageOf(
    docs,
    limit,
    (d): OrderKey => [Date.parse(d.createdAt), d.orderId],
    (d) => orderView(d, policy),
  );
}

import { z } from 'zod';
import type { Collection, Filter } from 'mongodb';
import type { OrderDoc, RevenuePolicy } from '@cdp/read-models';
import { cursorParam, pageOf } from './pagination';
import {
  ORDER_VIEW_PROJECTION,
  orderStatusOf,
  orderView,
  type OrderStatusFields,
  type OrderView,
  type OrderViewFields,
} from './order-view';
import { createdAtNarrowing, inRange, type TimeRange } from './time-range';

/** Newest first (R15): created time, then the id, so orders created in the same instant keep one order. */
export const orderCursorParam = cursorParam(z.tuple([z.number(), z.string()]));
type OrderKey = readonly [number, string];

/** Haravan ids are decimal: a shorter one is smaller. */
const compareIds = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
const newestFirst = (a: OrderKey, b: OrderKey) => b[0] - a[0] || compareIds(b[1], a[1]);

type Listed = Pick<OrderDoc, '_id' | 'orderId' | 'createdAt'> & { order: OrderStatusFields };

export interface OrderPageQuery {
  limit: number;
  cursor?: OrderKey | undefined;
  status?: string | undefined;
  range?: TimeRange;
}

/**
 * A page of a tenant's orders matching an indexed equality `filter`. Created times carry offsets,
 * so they do not sort exactly as strings and the store can only narrow a range: the match is read
 * with only its sort and filter fields, cut, sorted and paged in memory, then the page's documents
 * are read by _id.
 */
export async function orderPage(
  orders: Collection<OrderDoc>,
  filter: Filter<OrderDoc>,
  query: OrderPageQuery,
  policy: RevenuePolicy,
): Promise<{ items: OrderView[]; nextCursor: string | null }> {
  const { cursor, status, range } = query;
  const listed = (await orders
    .find(
      { ...filter, deleted: false, ...(range && createdAtNarrowing(range)) },
      {
        projection: {
          _id: 1,
          orderId: 1,
          createdAt: 1,
          'order.cancelled': 1,
          'order.closed': 1,
          'order.fulfillmentStatus': 1,
          'order.confirmed': 1,
        },
      },
    )
    .toArray()) as Listed[];
  const keyOf = (o: Listed): OrderKey => [Date.parse(o.createdAt), o.orderId];
  const matching = listed
    .filter(
      (o) =>
        (status === undefined || orderStatusOf(o.order) === status) &&
        (!range || inRange(keyOf(o)[0], range)),
    )
    .filter((o) => !cursor || newestFirst(cursor, keyOf(o)) < 0)
    .sort((a, b) => newestFirst(keyOf(a), keyOf(b)));
  const page = pageOf(matching, query.limit, keyOf, (o) => o._id);
  const docs = await orders
    .find<OrderViewFields>({ _id: { $in: page.items } }, { projection: ORDER_VIEW_PROJECTION })
    .toArray();
  const byId = new Map(docs.map((d) => [d._id, d]));
  return {
    items: page.items.flatMap((id) => {
      const doc = byId.get(id);
      return doc ? [orderView(doc, policy)] : [];
    }),
    nextCursor: page.nextCursor,
  };
}

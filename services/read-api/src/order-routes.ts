import type { Collection, Filter } from 'mongodb';
import { z } from 'zod';
import { financialStatuses } from '@cdp/contracts';
import type { IdReader } from '@cdp/mongo';
import { orderDocId, type OrderDoc } from '@cdp/read-models';
import { notFound } from './http-error';
import { orderCursorParam, orderPage } from './order-pages';
import {
  ORDER_VIEW_PROJECTION,
  orderStatuses,
  orderView,
  orderViewSchema,
  type OrderViewFields,
} from './order-view';
import { limitParam, pageSchema } from './pagination';
import { getRoute, type Route } from './route';
import { rangeParams, timeRangeOf } from './time-range';

const listQuery = z.object({
  status: z.enum(orderStatuses).optional().describe('the `orderStatus` of the latest state'),
  paymentStatus: z.enum(financialStatuses).optional(),
  store: z.string().min(1).optional().describe('store (Haravan location) id'),
  ...rangeParams,
  limit: limitParam,
  cursor: orderCursorParam,
});

export function orderRoutes(orders: Collection<OrderDoc>, byId: IdReader): Route[] {
  return [
    getRoute(
      {
        path: '/v1/orders/:orderId',
        readsFrom: ['orders'],
        summary: 'One order, in its latest known state',
        params: z.object({ orderId: z.string().min(1) }),
        query: z.object({}),
        response: orderViewSchema,
      },
      async ({ tenantId, revenuePolicy, params }) => {
        // Another tenant's id is simply absent from this tenant's key space: 404, never 403.
        const doc = await byId<OrderViewFields>(
          orders,
          orderDocId(tenantId, params.orderId),
          ORDER_VIEW_PROJECTION,
        );
        if (!doc) throw notFound('order');
        return orderView(doc, revenuePolicy);
      },
    ),
    getRoute(
      {
        path: '/v1/orders',
        readsFrom: ['orders'],
        summary: "The tenant's orders, newest first, filtered on their latest state",
        description: 'Created time in [from, to). Deleted orders are left out.',
        params: z.object({}),
        query: listQuery,
        response: pageSchema(orderViewSchema),
      },
      async ({ tenantId, revenuePolicy, query }) => {
        const filter: Filter<OrderDoc> = {};
        if (query.paymentStatus) filter['order.financialStatus'] = query.paymentStatus;
        if (query.store) filter['order.locationId'] = query.store;
        return orderPage(orders, tenantId, filter, { ...query, range: timeRangeOf(query) }, revenuePolicy);
      },
    ),
  ];
}

import type { Collection } from 'mongodb';
import { z } from 'zod';
import type { ByPolicy, OrderDoc } from '@cdp/read-models';
import { reportGroupings, revenueReport, revenueReportSchema, type ReportOrder } from './revenue-report';
import { getRoute, type Route } from './route';
import { createdAtWithin, offsetMinutes, rangeParams, timeRangeOf } from './time-range';

const reportQuery = z.object({ ...rangeParams, groupBy: z.enum(reportGroupings).default('day') });

/** Orders read from the store at a time. */
const REPORT_BATCH = 1_000;

interface ReportFields {
  createdAt: string;
  contributions: ByPolicy;
  countsAsOrder: boolean;
  order: { locationId: string | null; locationName: string | null };
}

export function reportRoutes(orders: Collection<OrderDoc>): Route[] {
  return [
    getRoute(
      {
        path: '/v1/reports/revenue',
        readsFrom: ['orders'],
        summary: 'Revenue and order counts by day or store',
        description:
          'Sums the same per-order figures as the profiles (R17–R21), by the day each order was created (a later payment moves no figure to its own day), orders without a customer (walk-ins at a store) included. Orders created in [from, to); days in `tz`.',
        params: z.object({}),
        query: reportQuery,
        response: revenueReportSchema,
      },
      async ({ tenantId, revenuePolicy, query }) => {
        const range = timeRangeOf(query);
        // Contributions are decimal strings, which $group/$sum cannot add: the tenant's orders are
        // read with only the report's fields (within the range) and summed here in exact integer
        // units, a batch at a time, so a report over a whole history holds its groups only.
        const docs = orders.find(
          { tenantId, countsAsOrder: true, ...createdAtWithin(range) },
          {
            projection: {
              createdAt: 1,
              contributions: 1,
              countsAsOrder: 1,
              'order.locationId': 1,
              'order.locationName': 1,
            },
            batchSize: REPORT_BATCH,
          },
        ) as unknown as AsyncIterable<ReportFields>;
        async function* rows(): AsyncIterable<ReportOrder> {
          for await (const d of docs)
            yield {
              createdAt: d.createdAt,
              revenueContribution: d.contributions[revenuePolicy],
              countsAsOrder: d.countsAsOrder,
              locationId: d.order.locationId,
              locationName: d.order.locationName,
            };
        }
        return revenueReport(rows(), {
          groupBy: query.groupBy,
          tz: query.tz,
          offsetMinutes: offsetMinutes(query.tz),
          range,
        });
      },
    ),
  ];
}

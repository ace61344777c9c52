import { z } from 'zod';
import { fromUnits, moneySchema, toUnits } from '@cdp/contracts';
import { inRange, localDay, type TimeRange } from './time-range';

export const reportGroupings = ['day', 'store'] as const;
export type ReportGrouping = (typeof reportGroupings)[number];

const totalsSchema = z.strictObject({
  revenue: moneySchema,
  orders: z.number().int().describe('orders that count (R17, R19)'),
});

export const revenueGroupSchema = totalsSchema.extend({
  key: z.string().describe('the day (YYYY-MM-DD in `tz`) or the store id; `none` for orders without a store'),
  label: z.string().nullable().describe('the store name when grouped by store'),
});

export const revenueReportSchema = z.strictObject({
  groupBy: z.enum(reportGroupings),
  tz: z.string(),
  total: totalsSchema,
  groups: z.array(revenueGroupSchema),
});
export type RevenueReport = z.infer<typeof revenueReportSchema>;

/** The fields of a stored order a report reads. */
export interface ReportOrder {
  createdAt: string;
  revenueContribution: string;
  countsAsOrder: boolean;
  locationId: string | null;
  locationName: string | null;
}

interface Bucket {
  label: string | null;
  /** Creation time of the order the label comes from. */
  labelAtMs: number;
  revenue: bigint;
  orders: number;
}

/**
 * A store renamed meanwhile is labelled with its newest order's name (ties: the greater name),
 * whatever order the store reads the orders in.
 */
const isNewerLabel = (bucket: Bucket, name: string | null, atMs: number) =>
  name !== null &&
  (bucket.label === null || atMs > bucket.labelAtMs || (atMs === bucket.labelAtMs && name > bucket.label));

/**
 * Sums each order's stored contribution, the very figure the profiles sum (R17–R21), so the
 * report and the profiles cannot disagree. Orders that count for nothing (cancelled, deleted)
 * make no group. The orders are taken as they come: only the groups are held.
 */
export async function revenueReport(
  orders: Iterable<ReportOrder> | AsyncIterable<ReportOrder>,
  options: { groupBy: ReportGrouping; tz: string; offsetMinutes: number; range: TimeRange },
): Promise<RevenueReport> {
  const buckets = new Map<string, Bucket>();
  let revenue = 0n;
  let count = 0;
  for await (const order of orders) {
    const createdMs = Date.parse(order.createdAt);
    if (!order.countsAsOrder || !inRange(createdMs, options.range)) continue;
    const key =
      options.groupBy === 'day' ? localDay(createdMs, options.offsetMinutes) : (order.locationId ?? 'none');
    const bucket = buckets.get(key) ?? { label: null, labelAtMs: -Infinity, revenue: 0n, orders: 0 };
    if (options.groupBy === 'store' && isNewerLabel(bucket, order.locationName, createdMs)) {
      bucket.label = order.locationName;
      bucket.labelAtMs = createdMs;
    }
    bucket.revenue += toUnits(order.revenueContribution);
    bucket.orders += 1;
    buckets.set(key, bucket);
    revenue += toUnits(order.revenueContribution);
    count += 1;
  }
  return {
    groupBy: options.groupBy,
    tz: options.tz,
    total: { revenue: fromUnits(revenue), orders: count },
    groups: [...buckets.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, b]) => ({ key, label: b.label, revenue: fromUnits(b.revenue), orders: b.orders })),
  };
}

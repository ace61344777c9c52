import { describe, expect, it } from 'vitest';
import { revenueReport, type ReportOrder } from './revenue-report';

const order = (patch: Partial<ReportOrder>): ReportOrder => ({
  createdAt: '2025-01-01T10:00:00+07:00',
  revenueContribution: '0',
  countsAsOrder: true,
  locationId: '1001',
  locationName: 'Cửa hàng Quận 1',
  ...patch,
});

const orders = [
  // 23:30 on 1 Jan at +07:00.
  order({ createdAt: '2025-01-01T16:30:00Z', revenueContribution: '100000.5' }),
  // 00:30 local on 2 Jan, still 1 Jan in UTC.
  order({
    createdAt: '2025-01-01T17:30:00Z',
    revenueContribution: '200000',
    locationId: '1002',
    locationName: 'Quận 3',
  }),
  order({ createdAt: '2025-01-02T09:00:00+07:00', revenueContribution: '0' }), // pending: counts, no revenue
  order({ createdAt: '2025-01-02T09:00:00+07:00', revenueContribution: '0', countsAsOrder: false }), // cancelled
  order({
    createdAt: '2025-01-03T09:00:00+07:00',
    revenueContribution: '50000',
    locationId: null,
    locationName: null,
  }),
];
const all = { fromMs: -Infinity, toMs: Infinity };

describe('revenue report', () => {
  it('groups by local day at +07:00, summing contributions exactly and counting orders that count', async () => {
    expect(
      await revenueReport(orders, { groupBy: 'day', tz: '+07:00', offsetMinutes: 420, range: all }),
    ).toEqual({
      groupBy: 'day',
      tz: '+07:00',
      total: { revenue: '350000.5', orders: 4 },
      groups: [
        { key: '2025-01-01', label: null, revenue: '100000.5', orders: 1 },
        { key: '2025-01-02', label: null, revenue: '200000', orders: 2 },
        { key: '2025-01-03', label: null, revenue: '50000', orders: 1 },
      ],
    });
  });

  it('puts the same instants on other days in UTC', async () => {
    const report = await revenueReport(orders, {
      groupBy: 'day',
      tz: '+00:00',
      offsetMinutes: 0,
      range: all,
    });
    expect(report.groups.map((g) => [g.key, g.orders])).toEqual([
      ['2025-01-01', 2],
      ['2025-01-02', 1],
      ['2025-01-03', 1],
    ]);
  });

  it('groups by store, with its name, and orders without a store under `none`', async () => {
    expect(
      (await revenueReport(orders, { groupBy: 'store', tz: '+07:00', offsetMinutes: 420, range: all }))
        .groups,
    ).toEqual([
      { key: '1001', label: 'Cửa hàng Quận 1', revenue: '100000.5', orders: 2 },
      { key: '1002', label: 'Quận 3', revenue: '200000', orders: 1 },
      { key: 'none', label: null, revenue: '50000', orders: 1 },
    ]);
  });

  it('labels a store renamed meanwhile with its newest order’s name, whatever order they come in', async () => {
    const renamed = [
      order({ createdAt: '2025-01-05T09:00:00+07:00', locationName: 'Quận 1 (mới)' }),
      order({ createdAt: '2025-01-04T09:00:00+07:00', locationName: 'Quận 1 (cũ)' }),
      order({ createdAt: '2025-01-06T09:00:00+07:00', locationName: null }),
    ];
    const labels = async (list: ReportOrder[]) =>
      (
        await revenueReport(list, { groupBy: 'store', tz: '+07:00', offsetMinutes: 420, range: all })
      ).groups.map((g) => g.label);
    expect(await labels(renamed)).toEqual(['Quận 1 (mới)']);
    expect(await labels([...renamed].reverse())).toEqual(['Quận 1 (mới)']);
  });

  it('keeps only orders created in [from, to)', async () => {
    const range = {
      fromMs: Date.parse('2025-01-01T17:30:00Z'),
      toMs: Date.parse('2025-01-03T09:00:00+07:00'),
    };
    expect(
      (await revenueReport(orders, { groupBy: 'day', tz: '+07:00', offsetMinutes: 420, range })).total,
    ).toEqual({
      revenue: '200000',
      orders: 2,
    });
  });
});

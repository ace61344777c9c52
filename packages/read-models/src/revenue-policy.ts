import { subtractMoney, sumMoney, toUnits, type Money, type OrderSnapshot } from '@cdp/contracts';

/**
 * R17–R21: what one order adds to its buyer's revenue and order count, from its latest state
 * alone, so duplicates, reordering and replays cannot move the totals.
 * `as-written` is the original product's rule (partially refunded counts total minus the shipping paid);
 * `net-of-refunds` also takes the refunded amount out.
 */
export const revenuePolicies = ['as-written', 'net-of-refunds'] as const;
export type RevenuePolicy = (typeof revenuePolicies)[number];

export interface Contribution {
  revenue: Money;
  countsAsOrder: boolean;
}

/** What of an order its contribution reads. */
export type RevenueFields = Pick<
  OrderSnapshot,
  'cancelled' | 'financialStatus' | 'totalPrice' | 'totalShipping' | 'totalRefunded' | 'discountCodes'
>;

/** An order never takes revenue away from its buyer. */
const atLeastZero = (amount: Money): Money => (toUnits(amount) < 0n ? '0' : amount);

/**
 * R20's shipping: what the buyer paid for it, the shipping lines less the shipping-type discount
 * codes (a free-shipping code leaves the line at its price while the total drops it).
 */
const chargedShipping = (order: RevenueFields): Money =>
  atLeastZero(
    subtractMoney(
      order.totalShipping,
      sumMoney(order.discountCodes.filter((d) => d.type?.toLowerCase() === 'shipping').map((d) => d.amount)),
    ),
  );

export function contributionOf(
  order: RevenueFields,
  deleted: boolean,
  policy: RevenuePolicy = 'as-written',
): Contribution {
  if (deleted || order.cancelled) return { revenue: '0', countsAsOrder: false };
  switch (order.financialStatus) {
    case 'paid':
      return { revenue: atLeastZero(order.totalPrice), countsAsOrder: true };
    case 'partially_refunded': {
      const withoutShipping = subtractMoney(order.totalPrice, chargedShipping(order));
      const revenue =
        policy === 'net-of-refunds' ? subtractMoney(withoutShipping, order.totalRefunded) : withoutShipping;
      // A discount of another type can still take the total below the shipping.
      return { revenue: atLeastZero(revenue), countsAsOrder: true };
    }
    case 'pending':
    case 'authorized':
    case 'partially_paid':
    case 'refunded':
    case 'voided':
    case 'unknown':
      return { revenue: '0', countsAsOrder: true };
  }
}

/** Per-policy amounts, kept side by side so a tenant can switch policy without a rebuild. */
export type ByPolicy = Record<RevenuePolicy, Money>;

export function contributionsOf(
  order: RevenueFields,
  deleted: boolean,
): { contributions: ByPolicy; countsAsOrder: boolean } {
  const asWritten = contributionOf(order, deleted, 'as-written');
  return {
    contributions: {
      'as-written': asWritten.revenue,
      'net-of-refunds': contributionOf(order, deleted, 'net-of-refunds').revenue,
    },
    countsAsOrder: asWritten.countsAsOrder,
  };
}

export const noRevenue: ByPolicy = { 'as-written': '0', 'net-of-refunds': '0' };

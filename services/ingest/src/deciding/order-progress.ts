import type { FinancialStatus, OrderSnapshot } from '@cdp/contracts';

const paymentRank: Record<FinancialStatus, number> = {
  unknown: 0,
  pending: 0,
  authorized: 1,
  partially_paid: 2,
  paid: 3,
  partially_refunded: 4,
  refunded: 5,
  voided: 5,
};

const fulfillmentRank = (status: string | null): number =>
  status === 'restocked' ? 3 : status === 'fulfilled' ? 2 : status === 'partial' ? 1 : 0;

/**
 * How far along its life an order is. Haravan stamps several quick changes with the same
 * `updated_at`; an order only moves forward (confirmed, paid, fulfilled, refunded, closed,
 * cancelled), so between two snapshots of the same instant the further one is the later one.
 */
export function orderProgress(order: OrderSnapshot): number {
  return (
    paymentRank[order.financialStatus] +
    fulfillmentRank(order.fulfillmentStatus) +
    Number(order.confirmed) +
    Number(order.closed) +
    Number(order.cancelled)
  );
}

/**
 * The fingerprint leads with the progress, so "same instant, larger fingerprint" means "further
 * along"; then with the embedded buyer's version (toISOString form, '' without one), so that of
 * two copies of one order version the one with the newer buyer is the later.
 */
export const orderFingerprint = (order: OrderSnapshot, buyerVersion: string | null, hash: string): string =>
  `${String(orderProgress(order)).padStart(3, '0')}-${buyerVersion ?? ''}-${hash}`;

/**
 * An order's state as change detection sees it, without what differs between Haravan's spellings
 * of one state: the billing address (how the order stated its buyer when placed, not a change of
 * the order) and the raw payment status (`partiallypaid` in webhooks, `partially_paid` elsewhere;
 * the normalised one is tracked, and the raw one is not served). A null fulfilment status and
 * `notfulfilled` stay apart: the read models show them differently (`confirmed` and `notfulfilled`),
 * so a copy in the other spelling is a change they must hear of, and the same whatever the order of
 * arrival.
 */
export function trackedOrderState(
  order: OrderSnapshot,
): Omit<OrderSnapshot, 'billingAddress' | 'financialStatusRaw'> {
  const { billingAddress: _statedWhenPlaced, financialStatusRaw: _spelling, ...tracked } = order;
  return tracked;
}

import { sumUnits, type Units } from './money.js';
import type { FinancialStatus, SimOrder } from './model.js';
import { orderTotals } from './order-totals.js';

export type PaymentStatus = Exclude<FinancialStatus, 'partiallypaid'>;

export function normalizeFinancialStatus(status: FinancialStatus): PaymentStatus {
  return status === 'partiallypaid' ? 'partially_paid' : status;
}

/** The tenant setting of the same name: R20 as written, or with refunds taken out too. */
export type RevenuePolicy = 'as-written' | 'net-of-refunds';

export interface OrderContribution {
  /** R17/R19: counts towards totalOrders. */
  countsAsOrder: boolean;
  /** R18–R21: adds to revenue. */
  revenue: Units;
}

/** R17–R21 applied to one order's latest state (so replays and reordering cannot change it). */
export function orderContribution(order: SimOrder, policy: RevenuePolicy = 'as-written'): OrderContribution {
  if (order.cancelledAt !== null) return { countsAsOrder: false, revenue: 0n }; // R19
  const totals = orderTotals(order);
  const status = normalizeFinancialStatus(order.financialStatus);
  switch (status) {
    case 'paid':
      return { countsAsOrder: true, revenue: totals.totalPrice }; // R18
    case 'partially_refunded': {
      const refunded = policy === 'net-of-refunds' ? sumUnits(order.refunds.map((r) => r.amount)) : 0n;
      // The shipping the buyer paid: a free-shipping code took the rest off the total already.
      const shippingOff = sumUnits(
        order.discountCodes.filter((d) => d.type === 'shipping').map((d) => d.amount),
      );
      const paidShipping = totals.totalShipping > shippingOff ? totals.totalShipping - shippingOff : 0n;
      const revenue = totals.totalPrice - paidShipping - refunded; // R20
      // A discount can take more than the goods are worth: the order then adds nothing, never less.
      return { countsAsOrder: true, revenue: revenue < 0n ? 0n : revenue };
    }
    case 'pending':
    case 'authorized':
    case 'partially_paid':
    case 'refunded':
    case 'voided':
      return { countsAsOrder: true, revenue: 0n }; // R21
  }
}

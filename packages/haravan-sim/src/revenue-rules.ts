import type { Units } from './money.js';
import type { FinancialStatus, SimOrder } from './model.js';
import { orderTotals } from './order-totals.js';

export type PaymentStatus = Exclude<FinancialStatus, 'partiallypaid'>;

export function normalizeFinancialStatus(status: FinancialStatus): PaymentStatus {
  return status === 'partiallypaid' ? 'partially_paid' : status;
}

export interface OrderContribution {
  /** R17/R19: counts towards totalOrders. */
  countsAsOrder: boolean;
  /** R18–R21: adds to revenue. */
  revenue: Units;
}

/** R17–R21 applied to one order's latest state (so replays and reordering cannot change it). */
export function orderContribution(order: SimOrder): OrderContribution {
  if (order.cancelledAt !== null) return { countsAsOrder: false, revenue: 0n }; // R19
  const totals = orderTotals(order);
  const status = normalizeFinancialStatus(order.financialStatus);
  switch (status) {
    case 'paid':
      return { countsAsOrder: true, revenue: totals.totalPrice }; // R18
    case 'partially_refunded':
      return { countsAsOrder: true, revenue: totals.totalPrice - totals.totalShipping }; // R20
    case 'pending':
    case 'authorized':
    case 'partially_paid':
    case 'refunded':
    case 'voided':
      return { countsAsOrder: true, revenue: 0n }; // R21
  }
}

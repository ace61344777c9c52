import { refreshCustomerAggregates } from './customer-aggregates.js';
import { definedOnly, withoutDefault, type AddressPatch } from './customer-actions.js';
import { halfRoundedDown } from './order-create.js';
import { toUnits, type MoneyInput } from './money-input.js';
import type { CancelReason, FinancialStatus, SimOrder, SimTransaction } from './model.js';
import { netPaid, orderTotals } from './order-totals.js';
import type { ShopCore } from './shop-core.js';
import type { OrderTopic } from './topics.js';

export function requireOrder(core: ShopCore, id: number): SimOrder {
  const order = core.orders.get(id);
  if (!order) throw new Error(`no order ${id}`);
  return order;
}

function expectStatus(order: SimOrder, allowed: readonly FinancialStatus[], action: string): void {
  if (!allowed.includes(order.financialStatus)) {
    throw new Error(`cannot ${action} order ${order.id} in status ${order.financialStatus}`);
  }
}

/** Applies one change to an order: new `updated_at`, its webhooks, then the customer's aggregates. */
function change(
  core: ShopCore,
  id: number,
  topics: readonly OrderTopic[],
  mutate: (order: SimOrder, at: SimOrder['updatedAt']) => void,
): SimOrder {
  const order = requireOrder(core, id);
  const now = core.beginChange();
  const at = core.stampAt(now, order.updatedAt);
  mutate(order, at);
  order.updatedAt = at;
  for (const topic of topics) core.emitOrder(topic, order);
  refreshCustomerAggregates(core, order.customerId, now);
  return order;
}

function addTransaction(
  core: ShopCore,
  order: SimOrder,
  kind: SimTransaction['kind'],
  amount: bigint,
  at: SimOrder['updatedAt'],
): SimTransaction {
  const tx: SimTransaction = {
    id: core.nextId('transaction'),
    kind,
    amount,
    status: 'success',
    gateway: order.gateway,
    createdAt: at,
  };
  order.transactions.push(tx);
  return tx;
}

const PAYABLE: readonly FinancialStatus[] = ['pending', 'authorized', 'partially_paid', 'partiallypaid'];

export function payOrder(core: ShopCore, id: number): SimOrder {
  return change(core, id, ['orders/paid', 'orders/updated'], (order, at) => {
    expectStatus(order, PAYABLE, 'pay');
    addTransaction(core, order, 'capture', orderTotals(order).totalPrice - netPaid(order), at);
    order.financialStatus = 'paid';
  });
}

export function partiallyPayOrder(core: ShopCore, id: number, amount?: MoneyInput): SimOrder {
  return change(core, id, ['orders/updated'], (order, at) => {
    expectStatus(order, ['pending', 'authorized'], 'partially pay');
    const total = orderTotals(order).totalPrice;
    const paid = amount === undefined ? halfRoundedDown(total) : toUnits(amount);
    if (paid <= 0n || paid >= total) throw new Error('a partial payment must be above 0 and below the total');
    addTransaction(core, order, 'capture', paid, at);
    order.financialStatus = core.rng.chance(0.3) ? 'partiallypaid' : 'partially_paid';
  });
}

export interface RefundInput {
  /** Refund everything paid. */
  full?: boolean;
  /** Amount to refund; defaults to the first line item's value. */
  amount?: MoneyInput;
  /** Also refund the shipping charge. */
  includeShipping?: boolean;
  note?: string;
}

export function refundOrder(core: ShopCore, id: number, input: RefundInput = {}): SimOrder {
  return change(core, id, ['orders/updated'], (order, at) => {
    expectStatus(order, ['paid', 'partially_refunded'], 'refund');
    const paid = netPaid(order);
    const totals = orderTotals(order);
    const firstItem = order.lineItems[0];
    const base = input.amount !== undefined ? toUnits(input.amount) : firstItem ? firstItem.price : paid;
    const amount = input.full ? paid : base + (input.includeShipping ? totals.totalShipping : 0n);
    if (amount <= 0n || amount > paid) throw new Error(`refund must be above 0 and at most ${paid} units`);
    const tx = addTransaction(core, order, 'refund', amount, at);
    order.refunds.push({
      id: core.nextId('refund'),
      note: input.note ?? null,
      amount,
      includesShipping: Boolean(input.full || input.includeShipping),
      transactionId: tx.id,
      createdAt: at,
    });
    order.financialStatus = amount === paid ? 'refunded' : 'partially_refunded';
  });
}

export function voidOrder(core: ShopCore, id: number): SimOrder {
  return change(core, id, ['orders/updated'], (order, at) => {
    expectStatus(order, ['pending', 'authorized'], 'void');
    addTransaction(core, order, 'void', orderTotals(order).totalPrice, at);
    order.financialStatus = 'voided';
  });
}

export interface CancelInput {
  reason?: CancelReason;
  /** Refund what was paid as part of the cancellation. */
  refund?: boolean;
}

export function cancelOrder(core: ShopCore, id: number, input: CancelInput = {}): SimOrder {
  return change(core, id, ['orders/cancelled', 'orders/updated'], (order, at) => {
    if (order.cancelledAt) throw new Error(`order ${id} is already cancelled`);
    order.cancelledAt = at;
    order.cancelReason = input.reason ?? 'customer';
    const paid = netPaid(order);
    if (input.refund && paid > 0n) {
      const tx = addTransaction(core, order, 'refund', paid, at);
      order.refunds.push({
        id: core.nextId('refund'),
        note: 'Hủy đơn',
        amount: paid,
        includesShipping: true,
        transactionId: tx.id,
        createdAt: at,
      });
      order.financialStatus = 'refunded';
    }
  });
}

export function fulfillOrder(core: ShopCore, id: number): SimOrder {
  return change(core, id, ['orders/fulfilled', 'orders/updated'], (order, at) => {
    order.fulfillments.push({
      id: core.nextId('fulfillment'),
      trackingNumber: `GHN${order.id % 1_000_000}`,
      createdAt: at,
    });
    order.fulfillmentStatus = 'fulfilled';
  });
}

export function confirmOrder(core: ShopCore, id: number): SimOrder {
  return change(core, id, ['orders/updated'], (order, at) => {
    order.confirmedAt = at;
  });
}

export function closeOrder(core: ShopCore, id: number): SimOrder {
  return change(core, id, ['orders/updated'], (order, at) => {
    order.closedAt = at;
  });
}

export function reopenOrder(core: ShopCore, id: number): SimOrder {
  return change(core, id, ['orders/updated'], (order) => {
    order.closedAt = null;
  });
}

export interface OrderPatch {
  note?: string | null;
  tags?: string | null;
  shippingAddress?: AddressPatch;
}

export function updateOrder(core: ShopCore, id: number, patch: OrderPatch): SimOrder {
  return change(core, id, ['orders/updated'], (order) => {
    if (patch.note !== undefined) order.note = patch.note;
    if (patch.tags !== undefined) order.tags = patch.tags;
    if (patch.shippingAddress && order.shippingAddress) {
      Object.assign(order.shippingAddress, definedOnly(withoutDefault(patch.shippingAddress)));
    }
  });
}

export function deleteOrder(core: ShopCore, id: number): void {
  const order = requireOrder(core, id);
  const now = core.beginChange();
  core.orders.delete(id);
  if (order.customerId !== null) core.ordersByCustomer.get(order.customerId)?.delete(id);
  core.emitDeleted('orders/delete', id, core.stampAt(now, order.updatedAt));
  refreshCustomerAggregates(core, order.customerId, now);
}

import { ok, sumMoney, type CustomerSnapshot, type OrderSnapshot, type Result } from '@cdp/contracts';
import { z } from 'zod';
import { normalizeFinancialStatus } from './financial-status';
import { normalizeFulfillmentStatus } from './fulfillment-status';
import { anyField, idField, listField, moneyField, textField, timestampField, toId } from './lenient';
import { normalizeAddress } from './normalize-address';
import { normalizeCustomer } from './normalize-customer';
import { orderBuyer } from './order-buyer';
import { discountCodes, lineItems, shippingLines } from './order-lines';
import { totalRefunded } from './total-refunded';
import { snapshotHeader } from './snapshot-header';
import { isRecord, unwrap } from './unwrap';

const haravanOrder = z.looseObject({
  id: idField,
  order_number: textField,
  name: textField,
  number: textField,
  created_at: timestampField,
  updated_at: timestampField,
  financial_status: textField,
  fulfillment_status: textField,
  cancelled_status: textField,
  cancelled_at: timestampField,
  cancel_reason: textField,
  confirmed_status: textField,
  closed_status: textField,
  closed_at: timestampField,
  currency: textField,
  total_price: moneyField,
  subtotal_price: moneyField,
  total_discounts: moneyField,
  location_id: idField,
  location_name: textField,
  source_name: textField,
  source: textField,
  customer: anyField,
  billing_address: anyField,
  shipping_address: anyField,
  line_items: listField,
  shipping_lines: listField,
  discount_codes: listField,
  refunds: listField,
});

/** A Haravan order (webhook body or REST record) → the CDP's OrderSnapshot. */
export function normalizeOrder(payload: unknown): Result<OrderSnapshot> {
  const record = unwrap(payload, 'order');
  const head = snapshotHeader(record, 'order');
  if (!head.ok) return head;
  // Cannot fail: the header found an object, and every other field is read leniently.
  const o = haravanOrder.parse(record);
  const { id, createdAt, updatedAt } = head.value;
  const shipping = shippingLines(o.shipping_lines);
  return ok({
    orderId: id,
    orderNumber: o.order_number ?? o.name ?? o.number ?? id,
    createdAt,
    updatedAt,
    financialStatus: normalizeFinancialStatus(o.financial_status),
    financialStatusRaw: o.financial_status,
    fulfillmentStatus: normalizeFulfillmentStatus(o.fulfillment_status),
    cancelled: is(o.cancelled_status, 'cancelled') || o.cancelled_at !== null,
    cancelledAt: o.cancelled_at,
    cancelReason: o.cancel_reason,
    confirmed: is(o.confirmed_status, 'confirmed'),
    closed: is(o.closed_status, 'closed') || o.closed_at !== null,
    // Haravan shops trade in VND; the field is only absent from malformed records.
    currency: o.currency?.toUpperCase() ?? 'VND',
    totalPrice: o.total_price ?? '0',
    subtotalPrice: o.subtotal_price ?? '0',
    totalDiscounts: o.total_discounts ?? '0',
    totalShipping: sumMoney(shipping.map((line) => line.price)),
    totalRefunded: totalRefunded(o.refunds),
    locationId: o.location_id,
    locationName: o.location_name,
    sourceName: o.source_name ?? o.source,
    buyer: orderBuyer(o.customer),
    billingAddress: normalizeAddress(o.billing_address, false),
    shippingAddress: normalizeAddress(o.shipping_address, false),
    lineItems: lineItems(o.line_items),
    shippingLines: shipping,
    discountCodes: discountCodes(o.discount_codes),
  });
}

const is = (value: string | null, expected: string) => value?.toLowerCase() === expected;

/**
 * The full customer embedded in an order payload, normalised like a customers/* webhook (its
 * `updated_at` is its version). null when the order has no customer with an id (POS walk-ins), or
 * when the embed lacks the address list: Haravan documents the whole customer here, and a partial
 * one at the same `updated_at` could otherwise replace the profile's addresses (R9) with none.
 */
export function orderEmbeddedCustomer(payload: unknown): Result<CustomerSnapshot> | null {
  const order = unwrap(payload, 'order');
  if (!isRecord(order)) return null;
  const customer = order['customer'];
  if (!isRecord(customer) || toId(customer['id']) === null) return null;
  if (!Array.isArray(customer['addresses'])) return null;
  return normalizeCustomer(customer);
}

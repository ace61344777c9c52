import { jsonMoney } from './haravan-json.js';
import type { SimCustomer, SimOrder, SimTransaction } from './model.js';
import { orderTotals } from './order-totals.js';
import { addressPayload } from './payload-address.js';
import { customerPayload } from './payload-customer.js';

export interface OrderPayloadContext {
  customer(id: number): SimCustomer | undefined;
  productExists(id: number): boolean;
}

export function orderName(order: Pick<SimOrder, 'orderNumber'>): string {
  return `#${order.orderNumber}`;
}

export function orderPayload(order: SimOrder, ctx: OrderPayloadContext): Record<string, unknown> {
  const money = (units: bigint) => jsonMoney(units, order.moneyStyle);
  const totals = orderTotals(order);
  const customer = order.customerId === null ? undefined : ctx.customer(order.customerId);
  const transaction = (t: SimTransaction, sign: 1n | -1n) => ({
    id: t.id,
    order_id: order.id,
    amount: money(t.amount * sign),
    kind: t.kind,
    gateway: t.gateway,
    status: t.status,
    created_at: t.createdAt.text,
    location_id: order.locationId,
    user_id: 0,
    parent_id: null,
    currency: 'VND',
    test: false,
    authorization: null,
  });
  return {
    id: order.id,
    number: order.id,
    order_number: orderName(order),
    name: orderName(order),
    token: `tok${order.id.toString(36)}`,
    email: order.email,
    contact_email: order.email,
    created_at: order.createdAt.text,
    updated_at: order.updatedAt.text,
    processed_at: order.createdAt.text,
    confirmed_at: order.confirmedAt?.text ?? null,
    closed_at: order.closedAt?.text ?? null,
    cancelled_at: order.cancelledAt?.text ?? null,
    cancel_reason: order.cancelReason,
    financial_status: order.financialStatus,
    fulfillment_status: order.fulfillmentStatus,
    cancelled_status: order.cancelledAt ? 'cancelled' : 'uncancelled',
    closed_status: order.closedAt ? 'closed' : 'unclosed',
    confirmed_status: order.confirmedAt ? 'confirmed' : 'unconfirmed',
    order_processing_status: order.confirmedAt ? 'confirmed' : 'pending',
    currency: 'VND',
    total_price: money(totals.totalPrice),
    subtotal_price: money(totals.subtotalPrice),
    total_line_items_price: money(totals.totalLineItemsPrice),
    total_discounts: money(totals.totalDiscounts),
    total_tax: 0,
    total_weight: totals.totalWeight,
    taxes_included: false,
    tax_lines: null,
    shipping_lines: order.shippingLines.map((s) => ({
      code: s.code,
      title: s.title,
      price: money(s.price),
      source: 'haravan',
    })),
    discount_codes: order.discountCodes.map((d) => ({ code: d.code, amount: money(d.amount), type: d.type })),
    line_items: order.lineItems.map((li) => {
      const exists = li.productId !== null && ctx.productExists(li.productId);
      return {
        id: li.id,
        // Haravan nulls product_id once the product is deleted.
        product_id: exists ? li.productId : null,
        variant_id: li.variantId,
        sku: li.sku,
        barcode: null,
        title: li.title,
        variant_title: li.variantTitle,
        name: li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title,
        vendor: li.vendor,
        type: li.productType,
        quantity: li.quantity,
        price: money(li.price),
        price_original: money(li.price),
        price_promotion: 0,
        total_discount: 0,
        grams: li.grams,
        fulfillable_quantity: order.fulfillments.length > 0 ? 0 : li.quantity,
        fulfillment_status: null,
        fulfillment_service: null,
        requires_shipping: true,
        taxable: false,
        gift_card: false,
        tax_lines: null,
        properties: null,
        applied_discounts: [],
        image: null,
        product_exists: exists,
        not_allow_promotion: false,
      };
    }),
    transactions: order.transactions.map((t) => transaction(t, 1n)),
    refunds: order.refunds.map((r) => {
      const tx = order.transactions.find((t) => t.id === r.transactionId);
      return {
        id: r.id,
        created_at: r.createdAt.text,
        note: r.note,
        order_id: order.id,
        user_id: 0,
        location_id: order.locationId,
        restock: false,
        refund_line_items: null,
        // One documented example carries the refund amount as a negative number.
        transactions: tx ? [transaction(tx, -1n)] : [],
      };
    }),
    fulfillments: order.fulfillments.map((f) => ({
      id: f.id,
      order_id: order.id,
      status: 'success',
      tracking_number: f.trackingNumber,
      tracking_company: 'Giao Hàng Nhanh',
      location_id: order.locationId,
      created_at: f.createdAt.text,
      updated_at: f.createdAt.text,
    })),
    customer: customer ? customerPayload(customer) : null,
    shipping_address: order.shippingAddress ? addressPayload(order.shippingAddress, false) : null,
    billing_address: order.billingAddress ? addressPayload(order.billingAddress, false) : null,
    location_id: order.locationId,
    location_name: order.locationName,
    source_name: order.sourceName,
    source: order.sourceName,
    gateway: order.gateway,
    gateway_code: order.gatewayCode,
    user_id: 0,
    note: order.note,
    tags: order.tags,
    note_attributes: order.noteAttributes.map((a) => ({ ...a })),
    buyer_accepts_marketing: customer?.acceptsMarketing ?? false,
    landing_site: null,
    referring_site: null,
    browser_ip: null,
    client_details: null,
  };
}

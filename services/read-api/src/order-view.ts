import { z } from 'zod';
import {
  addressSchema,
  discountCodeSchema,
  financialStatuses,
  fulfillmentStatuses,
  lineItemSchema,
  moneySchema,
  shippingLineSchema,
  type OrderSnapshot,
} from '@cdp/contracts';
import { contributionsOf, receiverIdOf, type OrderDoc, type RevenuePolicy } from '@cdp/read-models';

const timestamp = z.iso.datetime({ offset: true });

/** The public order shape of the v1 contract. */
export const orderViewSchema = z.strictObject({
  orderId: z.string(),
  haravanId: z.string(),
  orderNumber: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
  paymentStatus: z.enum(financialStatuses),
  orderStatus: z.string().describe('cancelled, closed, the fulfilment status, confirmed or unconfirmed'),
  fulfillmentStatus: z.string().nullable(),
  confirmed: z.boolean(),
  closed: z.boolean(),
  cancelled: z.boolean(),
  cancelledAt: timestamp.nullable(),
  cancelReason: z.string().nullable(),
  deleted: z.boolean(),
  currency: z.string(),
  totalPrice: moneySchema,
  subtotalPrice: moneySchema,
  totalDiscounts: moneySchema,
  totalShipping: moneySchema,
  totalRefunded: moneySchema,
  store: z.strictObject({ id: z.string(), name: z.string().nullable() }).nullable(),
  sourceName: z.string().nullable(),
  lineItems: z.array(lineItemSchema),
  shippingLines: z.array(shippingLineSchema),
  discountCodes: z.array(discountCodeSchema),
  shippingAddress: addressSchema.nullable(),
  buyerId: z.string().nullable(),
  receiverId: z.string().nullable().describe('null when the buyer receives the order'),
  revenueContribution: moneySchema.describe("what this order adds to its buyer's revenue (R17–R21)"),
});
export type OrderView = z.infer<typeof orderViewSchema>;

export type OrderStatusFields = Pick<
  OrderSnapshot,
  'cancelled' | 'closed' | 'fulfillmentStatus' | 'confirmed'
>;

/** What `orderStatusOf` answers, but for a fulfilment status Haravan sent that none of these names. */
export const orderStatuses = [
  'cancelled',
  'closed',
  ...fulfillmentStatuses,
  'confirmed',
  'unconfirmed',
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export const orderStatusOf = (o: OrderStatusFields): string =>
  o.cancelled
    ? 'cancelled'
    : o.closed
      ? 'closed'
      : (o.fulfillmentStatus ?? (o.confirmed ? 'confirmed' : 'unconfirmed'));

/** What `orderView` does not read, left in the store: the buyer and billing address alone are a third of an order. */
export const ORDER_VIEW_PROJECTION = {
  tenantId: 0,
  countsAsOrder: 0,
  position: 0,
  'order.buyer': 0,
  'order.billingAddress': 0,
  'order.financialStatusRaw': 0,
} as const;
export type OrderViewFields = Omit<OrderDoc, 'tenantId' | 'countsAsOrder' | 'position' | 'order'> & {
  order: Omit<OrderSnapshot, 'buyer' | 'billingAddress' | 'financialStatusRaw'>;
};

export function orderView(doc: OrderViewFields, policy: RevenuePolicy): OrderView {
  const o = doc.order;
  return {
    orderId: doc.orderId,
    haravanId: o.orderId,
    orderNumber: o.orderNumber,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    paymentStatus: o.financialStatus,
    orderStatus: orderStatusOf(o),
    fulfillmentStatus: o.fulfillmentStatus,
    confirmed: o.confirmed,
    closed: o.closed,
    cancelled: o.cancelled,
    cancelledAt: o.cancelledAt,
    cancelReason: o.cancelReason,
    deleted: doc.deleted,
    currency: o.currency,
    totalPrice: o.totalPrice,
    subtotalPrice: o.subtotalPrice,
    totalDiscounts: o.totalDiscounts,
    totalShipping: o.totalShipping,
    totalRefunded: o.totalRefunded,
    store: o.locationId ? { id: o.locationId, name: o.locationName } : null,
    sourceName: o.sourceName,
    lineItems: o.lineItems,
    shippingLines: o.shippingLines,
    discountCodes: o.discountCodes,
    shippingAddress: o.shippingAddress,
    buyerId: doc.buyerId,
    receiverId: doc.receiverKey ? receiverIdOf(doc.receiverKey) : null,
    // An order written before entries were kept (read models of an older format) is derived here.
    revenueContribution: ((doc as Partial<OrderDoc>).contributions ??
      contributionsOf(o, doc.deleted).contributions)[policy],
  };
}

import type { OrderSnapshot } from '@cdp/contracts';

export interface StoredOrder {
  _id: string;
  orderId: string;
  order: OrderSnapshot;
  buyerId: string | null;
  receiverKey: string | null;
  deleted: boolean;
  revenueContribution: string;
  countsAsOrder: boolean;
}

const orderStatusOf = (o: OrderSnapshot): string =>
  o.cancelled
    ? 'cancelled'
    : o.closed
      ? 'closed'
      : (o.fulfillmentStatus ?? (o.confirmed ? 'confirmed' : 'unconfirmed'));

/** The public order shape of the v1 contract. */
export function orderView(doc: StoredOrder) {
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
    revenueContribution: doc.revenueContribution,
  };
}

/** Receivers have no Haravan id; their public id is derived from their key so it is stable across rebuilds. */
export const receiverIdOf = (receiverKey: string): string =>
  `receiver:${Buffer.from(receiverKey).toString('base64url')}`;

import { normalizePhone, type OrderSnapshot } from '@cdp/contracts';
import { isPlaceholderName, isPlaceholderPhone } from './placeholder-contact';
import { searchableText } from './searchable-text';
import type { Position } from './position';
import { contributionsOf, type ByPolicy } from './revenue-policy';

export interface OrderDoc {
  _id: string;
  tenantId: string;
  orderId: string;
  order: OrderSnapshot;
  buyerId: string | null;
  /** R12: the receiver contact's id when the shipping address names someone else. */
  receiverKey: string | null;
  /** In `toISOString()` form (the snapshot's may carry an offset), so that as text it sorts as in time. */
  createdAt: string;
  deleted: boolean;
  /** What the order adds to its buyer's revenue, under each revenue policy (R17–R21). */
  contributions: ByPolicy;
  countsAsOrder: boolean;
  position: Position;
}

export const orderDocId = (tenantId: string, orderId: string) => `${tenantId}:${orderId}`;

/** How order lists sort, newest first (R15), and the order their indexes are kept in. */
export const ORDERS_NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;

const addressName = (a: { name: string | null; firstName: string | null; lastName: string | null }) =>
  usableName(a.name ?? [a.lastName, a.firstName].filter(Boolean).join(' '));

/** A normalised name, '' when there is none or only a placeholder. */
const usableName = (name: string | null | undefined): string => {
  const normalised = searchableText(name ?? '');
  return isPlaceholderName(normalised) ? '' : normalised;
};

/** A phone in E.164, null when there is none or only a placeholder. */
const usablePhone = (phone: string | null | undefined): string | null => {
  const e164 = normalizePhone(phone);
  return e164 === null || isPlaceholderPhone(e164) ? null : e164;
};

/**
 * R12: the shipping address names someone else than the buyer when both carry a phone and the
 * phones differ, or, lacking a phone on either side, when the names differ. The buyer is taken as
 * the order states them, by its billing address, so a later edit of the customer (Haravan embeds
 * the current one in every order it sends) does not turn old orders' addresses into receivers: a
 * billing address without a phone has the names compared, not the customer's phone of today
 * (which still marks the buyer when the shipping address has it). Its
 * name, when it has none, and both without a billing address, are the embedded customer's. A
 * receiver is keyed by normalised phone, then by name, within the tenant; placeholders ("Khách lẻ",
 * 0000000000) count as missing, or every walk-in would be one contact.
 */
export function receiverKeyOf(order: OrderSnapshot): string | null {
  const address = order.shippingAddress;
  if (!address || !order.buyer) return null;
  const phone = usablePhone(address.phone);
  const name = addressName(address);
  const billing = order.billingAddress;
  const customerPhone = usablePhone(order.buyer.phone);
  const buyerPhone = billing ? usablePhone(billing.phone) : customerPhone;
  const buyerName = (billing && addressName(billing)) || usableName(order.buyer.name);
  // The customer's own phone is the buyer's whatever name it is shipped under ("Anh An").
  if (phone !== null && phone === customerPhone && buyerPhone === null) return null;
  const someoneElse = phone && buyerPhone ? phone !== buyerPhone : name !== buyerName;
  if (!someoneElse) return null;
  if (phone) return `phone:${phone}`;
  return name ? `name:${name}` : null;
}

export function toOrderDoc(
  tenantId: string,
  order: OrderSnapshot,
  deleted: boolean,
  position: Position,
): OrderDoc {
  const { contributions, countsAsOrder } = contributionsOf(order, deleted);
  return {
    _id: orderDocId(tenantId, order.orderId),
    tenantId,
    orderId: order.orderId,
    order,
    buyerId: order.buyer?.customerId ?? null,
    receiverKey: receiverKeyOf(order),
    createdAt: new Date(order.createdAt).toISOString(),
    deleted,
    contributions,
    countsAsOrder,
    position,
  };
}

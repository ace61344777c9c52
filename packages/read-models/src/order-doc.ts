import { isPlaceholderPhone, normalizePhone, type OrderSnapshot } from '@cdp/contracts';
import { isPlaceholderName } from './placeholder-contact';
import { foldedText, searchableText } from './searchable-text';
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
 * Two names in searchable form of one person: the same, or the same but for the diacritics one of
 * them was typed without (staff often do). Both with diacritics, they must agree: Hùng is not Hưng.
 */
function sameName(a: string, b: string): boolean {
  if (a === b) return true;
  const [foldedA, foldedB] = [foldedText(a), foldedText(b)];
  return (foldedA === a || foldedB === b) && foldedA === foldedB;
}

/**
 * R12: the shipping address names someone else than the buyer unless it carries a phone or a name
 * of theirs. The buyer is known twice: as the order states them (its billing address, fixed when it
 * was placed) and as the embedded customer (Haravan embeds the customer as they are _now_ in every
 * order it sends, backfilled ones included). Either match is enough, so a parcel sent to the
 * customer's own phone is theirs whatever the name ("Anh An"), and one under their name is theirs
 * whatever the phone: a phone the order does not fix (no billing phone, or one the customer changed
 * since, a second number, a billing address with a relative's phone) never makes the buyer the
 * receiver of their own orders, and a later phone change does not turn old shipments into
 * receivers. A name typed without diacritics matches one with them (Nguyen Van An is Nguyễn Văn An;
 * Hùng is not Hưng). Placeholders ("Khách lẻ", 0000000000) count as missing and match nothing, so
 * walk-ins do not merge into one contact; an order without a customer names no receiver. A receiver
 * is keyed by normalised phone, then by name, within the tenant.
 */
export function receiverKeyOf(order: OrderSnapshot): string | null {
  const address = order.shippingAddress;
  if (!address || !order.buyer) return null;
  const phone = usablePhone(address.phone);
  const name = addressName(address);
  const billing = order.billingAddress;
  const buyerPhones = [billing && usablePhone(billing.phone), usablePhone(order.buyer.phone)];
  const buyerNames = [billing && addressName(billing), usableName(order.buyer.name)];
  if (phone !== null && buyerPhones.includes(phone)) return null;
  if (name !== '' && buyerNames.some((buyerName) => buyerName && sameName(name, buyerName))) return null;
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

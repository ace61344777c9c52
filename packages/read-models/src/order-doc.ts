import { normalizePhone, type OrderSnapshot } from '@cdp/contracts';
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
  createdAt: string;
  deleted: boolean;
  /** What the order adds to its buyer's revenue, under each revenue policy (R17–R21). */
  contributions: ByPolicy;
  countsAsOrder: boolean;
  position: Position;
}

export const orderDocId = (tenantId: string, orderId: string) => `${tenantId}:${orderId}`;

/** R12: a receiver is keyed by normalised phone, then by name, within the tenant. */
export function receiverKeyOf(order: OrderSnapshot): string | null {
  const address = order.shippingAddress;
  if (!address) return null;
  const phone = normalizePhone(address.phone);
  const name = (address.name ?? [address.lastName, address.firstName].filter(Boolean).join(' '))
    .trim()
    .toLowerCase();
  const buyer = order.buyer;
  const samePerson =
    buyer !== null &&
    ((phone !== null && phone === normalizePhone(buyer.phone)) ||
      (phone === null && name !== '' && name === (buyer.name ?? '').trim().toLowerCase()));
  if (samePerson) return null;
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
    createdAt: order.createdAt,
    deleted,
    contributions,
    countsAsOrder,
    position,
  };
}

import { formatUnits } from './money.js';
import type { SimAddress, SimCustomer, SimOrder } from './model.js';
import { orderTotals } from './order-totals.js';
import { fullName } from './payload-address.js';
import { orderName } from './payload-order.js';
import { isDifferentPerson, normalizeName, receiverKey } from './person-identity.js';
import { normalizePhone } from './phone.js';
import {
  normalizeFinancialStatus,
  orderContribution,
  type PaymentStatus,
  type RevenuePolicy,
} from './revenue-rules.js';

/**
 * The CDP view the sync should end up with, computed from the simulator's own state and
 * independently of product code. Plain JSON data; money as decimal strings.
 */
export interface GroundTruth {
  /** Simulated time the truth was taken at. */
  asOf: string;
  customers: CustomerTruth[];
  receivers: ReceiverTruth[];
  orders: OrderTruth[];
  products: ProductTruth[];
  /** POS orders without a customer: on no profile (newest first). */
  walkInOrderIds: number[];
}

export interface AddressTruth {
  id: number;
  name: string;
  phone: string | null;
  address1: string;
  address2: string | null;
  ward: string;
  wardCode: string;
  district: string;
  districtCode: string;
  province: string;
  provinceCode: string;
  isDefault: boolean;
}

export interface CustomerTruth {
  haravanId: number;
  isBuyer: true;
  source: 'Haravan';
  name: string;
  email: string | null;
  /** R8: the customer's phone, else the default address's phone. As Haravan wrote it. */
  phone: string | null;
  /** The same phone in E.164 (`+84…`). */
  phoneNormalized: string | null;
  phoneFromDefaultAddress: boolean;
  revenue: string;
  totalOrders: number;
  addresses: AddressTruth[];
  /** R15: newest first; includes cancelled orders (they count for nothing). */
  orderIds: number[];
  createdAt: string;
  updatedAt: string;
}

export interface ReceiverTruth {
  /** `phone:+84…` or `name:<normalised name>`. */
  key: string;
  isBuyer: false;
  source: 'Haravan';
  /** From the newest order shipped to this receiver. */
  name: string;
  phoneNormalized: string | null;
  orderIds: number[];
  buyerIds: number[];
}

export interface OrderTruth {
  haravanId: number;
  orderNumber: string;
  createdAt: string;
  updatedAt: string;
  buyerId: number | null;
  receiverKey: string | null;
  paymentStatus: PaymentStatus;
  cancelled: boolean;
  closed: boolean;
  totalPrice: string;
  totalShipping: string;
  countsAsOrder: boolean;
  revenueContribution: string;
  locationId: number;
  locationName: string;
}

export interface ProductTruth {
  haravanId: number;
  title: string;
  updatedAt: string;
  variants: { haravanId: number; sku: string | null; price: string }[];
}

export interface TruthSource {
  now: number;
  customers: Iterable<SimCustomer>;
  orders: Iterable<SimOrder>;
  products: Iterable<{
    id: number;
    title: string;
    updatedAt: { text: string };
    variants: { id: number; sku: string | null; price: bigint }[];
  }>;
}

function addressTruth(a: SimAddress): AddressTruth {
  return {
    id: a.id,
    name: fullName(a.firstName, a.lastName),
    phone: a.phone,
    address1: a.address1,
    address2: a.address2,
    ward: a.ward,
    wardCode: a.wardCode,
    district: a.district,
    districtCode: a.districtCode,
    province: a.province,
    provinceCode: a.provinceCode,
    isDefault: a.isDefault,
  };
}

/** R8 */
export function contactPhone(customer: SimCustomer): { phone: string | null; fromDefaultAddress: boolean } {
  // As ingest reads it: a phone that is no phone number, or no one's, is none.
  const own = normalizePhone(customer.phone);
  if (own && !isNoOnesNumber(own)) return { phone: customer.phone, fromDefaultAddress: false };
  const fallback = customer.addresses.find((a) => a.isDefault)?.phone ?? null;
  return { phone: fallback || null, fromDefaultAddress: Boolean(fallback) };
}

/**
 * What staff type for a missing phone that no Vietnamese number can be (0000000000, 0123456789):
 * one digit repeated or a run of digits, not a mobile's form. A sought-after 0999999999 is someone's.
 */
function isNoOnesNumber(e164: string): boolean {
  const national = e164.slice(3);
  const placeholder =
    /^(\d)\1+$/.test(national) || '0123456789'.includes(national) || '9876543210'.includes(national);
  return placeholder && !/^[35789]\d{8}$/.test(national);
}

function newestFirst(a: SimOrder, b: SimOrder): number {
  return b.createdAt.ms - a.createdAt.ms || b.id - a.id;
}

/**
 * R12, judged per order against the buyer as the order states them (its billing address, fixed when
 * the order was placed) and as the customer is now: a phone or a name of either marks the buyer, so
 * neither a relative's phone on the billing address nor the customer's phone of today makes the
 * buyer a receiver of their own parcels.
 */
function receiverOf(
  order: SimOrder,
  buyer: SimCustomer | undefined,
): { key: string; name: string; phone: string | null } | null {
  const ship = order.shippingAddress;
  if (!ship || !buyer) return null; // no buyer to differ from: a walk-in's address names no receiver
  const receiver = { name: fullName(ship.firstName, ship.lastName), phone: ship.phone };
  // Nobody to key a contact by.
  if (normalizePhone(receiver.phone) === undefined && !normalizeName(receiver.name)) return null;
  const billing = order.billingAddress;
  const asStated = billing
    ? [{ name: fullName(billing.firstName, billing.lastName), phone: billing.phone }]
    : [];
  const asNow = { name: fullName(buyer.firstName, buyer.lastName), phone: contactPhone(buyer).phone };
  return isDifferentPerson(receiver, [...asStated, asNow])
    ? { key: receiverKey(receiver), ...receiver }
    : null;
}

/** Revenue figures are under `policy`, the tenant setting the CDP reads them with. */
export function computeGroundTruth(source: TruthSource, policy: RevenuePolicy = 'as-written'): GroundTruth {
  const customers = new Map([...source.customers].map((c) => [c.id, c]));
  const orders = [...source.orders].sort(newestFirst);
  const byCustomer = new Map<number, SimOrder[]>();
  const receivers = new Map<string, ReceiverTruth>();
  const orderTruths: OrderTruth[] = [];
  const walkIns: number[] = [];

  for (const order of orders) {
    const buyer = order.customerId === null ? undefined : customers.get(order.customerId);
    if (buyer) {
      const own = byCustomer.get(buyer.id) ?? [];
      own.push(order);
      byCustomer.set(buyer.id, own);
    } else walkIns.push(order.id);
    const receiver = receiverOf(order, buyer);
    if (receiver) {
      const entry = receivers.get(receiver.key) ?? {
        key: receiver.key,
        isBuyer: false as const,
        source: 'Haravan' as const,
        name: receiver.name, // orders are newest first, so the first seen is the latest
        phoneNormalized: normalizePhone(receiver.phone) ?? null,
        orderIds: [],
        buyerIds: [],
      };
      entry.orderIds.push(order.id);
      if (buyer && !entry.buyerIds.includes(buyer.id)) entry.buyerIds.push(buyer.id);
      receivers.set(receiver.key, entry);
    }
    const totals = orderTotals(order);
    const contribution = orderContribution(order, policy);
    orderTruths.push({
      haravanId: order.id,
      orderNumber: orderName(order),
      createdAt: order.createdAt.text,
      updatedAt: order.updatedAt.text,
      buyerId: buyer?.id ?? null,
      receiverKey: receiver?.key ?? null,
      paymentStatus: normalizeFinancialStatus(order.financialStatus),
      cancelled: order.cancelledAt !== null,
      closed: order.closedAt !== null,
      totalPrice: formatUnits(totals.totalPrice),
      totalShipping: formatUnits(totals.totalShipping),
      countsAsOrder: contribution.countsAsOrder,
      revenueContribution: formatUnits(contribution.revenue),
      locationId: order.locationId,
      locationName: order.locationName,
    });
  }

  const customerTruths = [...customers.values()]
    .sort((a, b) => a.id - b.id)
    .map((c): CustomerTruth => {
      const own = byCustomer.get(c.id) ?? [];
      const contributions = own.map((o) => orderContribution(o, policy));
      const { phone, fromDefaultAddress } = contactPhone(c);
      return {
        haravanId: c.id,
        isBuyer: true,
        source: 'Haravan',
        name: fullName(c.firstName, c.lastName),
        email: c.email,
        phone,
        phoneNormalized: normalizePhone(phone) ?? null,
        phoneFromDefaultAddress: fromDefaultAddress,
        revenue: formatUnits(contributions.reduce((acc, x) => acc + x.revenue, 0n)),
        totalOrders: contributions.filter((x) => x.countsAsOrder).length,
        addresses: c.addresses.map(addressTruth),
        orderIds: own.map((o) => o.id),
        createdAt: c.createdAt.text,
        updatedAt: c.updatedAt.text,
      };
    });

  return {
    asOf: new Date(source.now).toISOString(),
    customers: customerTruths,
    receivers: [...receivers.values()].sort((a, b) => a.key.localeCompare(b.key)),
    orders: orderTruths.sort((a, b) => a.haravanId - b.haravanId),
    products: [...source.products]
      .sort((a, b) => a.id - b.id)
      .map((p) => ({
        haravanId: p.id,
        title: p.title,
        updatedAt: p.updatedAt.text,
        variants: p.variants.map((v) => ({ haravanId: v.id, sku: v.sku, price: formatUnits(v.price) })),
      })),
    walkInOrderIds: walkIns,
  };
}

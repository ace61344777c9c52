import { sumMoney } from '@cdp/contracts';
import { isDeleteTopic, normalizePhone, type GroundTruth, type SimShop } from '@cdp/haravan-sim';
import type { ReadApiClient } from './read-api-client';

/** Ids of what the shop deleted: Haravan lists them no more, and the read API shows them deleted (or not at all). */
export interface Deleted {
  customers: string[];
  orders: string[];
  products: string[];
}

export function deletedIn(shop: SimShop): Deleted {
  const ids = (resource: string) => [
    ...new Set(
      shop
        .changes()
        .filter((c) => isDeleteTopic(c.topic) && c.resource === resource)
        .map((c) => String(c.resourceId)),
    ),
  ];
  return { customers: ids('customers'), orders: ids('orders'), products: ids('products') };
}

/**
 * R12: a receiver's contact id, written out here rather than taken from the projector's code, so
 * an encoding that loses or merges keys shows as a difference.
 */
const receiverId = (key: string) => `receiver:${Buffer.from(key).toString('base64url')}`;

/** The shop's day (UTC+7, no daylight saving) of an instant, as the report's default `tz` groups it. */
const shopDay = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10);

interface ReportGroup {
  key: string;
  label: string | null;
  revenue: string;
  orders: number;
}

function reportBy(
  truth: GroundTruth,
  keyOf: (o: GroundTruth['orders'][number]) => string,
  labelled: boolean,
) {
  const groups = new Map<string, { label: string | null; revenues: string[] }>();
  for (const o of truth.orders.filter((order) => order.countsAsOrder)) {
    const group = groups.get(keyOf(o)) ?? { label: labelled ? o.locationName : null, revenues: [] };
    group.revenues.push(o.revenueContribution);
    groups.set(keyOf(o), group);
  }
  return [...groups.entries()]
    .map(([key, g]): ReportGroup => ({
      key,
      label: g.label,
      revenue: sumMoney(g.revenues),
      orders: g.revenues.length,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

/** What the read API should show, derived from the simulator's independent ground truth. */
export function expectedView(truth: GroundTruth, deleted: Deleted) {
  return {
    buyers: truth.customers.map((c) => ({
      customerId: String(c.haravanId),
      haravanId: String(c.haravanId),
      isBuyer: true,
      source: 'Haravan',
      name: c.name,
      email: c.email,
      phone: c.phoneNormalized, // R8: the default address's phone when the profile has none
      revenue: c.revenue,
      totalOrders: c.totalOrders,
      addresses: c.addresses.map((a) => ({
        addressId: String(a.id),
        isDefault: a.isDefault,
        address1: a.address1,
        phone: normalizePhone(a.phone) ?? null, // E.164, as every phone the CDP shows
      })),
      orderIds: c.orderIds.map(String), // R15: newest first
      deleted: false,
    })),
    receivers: truth.receivers.map((r) => ({
      customerId: receiverId(r.key),
      haravanId: null,
      isBuyer: false,
      source: 'Haravan',
      name: r.name,
      phone: r.phoneNormalized,
      revenue: '0',
      totalOrders: 0,
      orderIds: r.orderIds.map(String),
    })),
    orders: truth.orders.map((o) => ({
      orderId: String(o.haravanId),
      orderNumber: o.orderNumber,
      paymentStatus: o.paymentStatus,
      cancelled: o.cancelled,
      closed: o.closed,
      totalPrice: o.totalPrice,
      totalShipping: o.totalShipping,
      revenueContribution: o.revenueContribution,
      buyerId: o.buyerId === null ? null : String(o.buyerId),
      receiverId: o.receiverKey === null ? null : receiverId(o.receiverKey),
      store: { id: String(o.locationId), name: o.locationName },
      deleted: false,
    })),
    products: truth.products.map((p) => ({
      productId: String(p.haravanId),
      title: p.title,
      variants: p.variants.map((v) => ({ variantId: String(v.haravanId), sku: v.sku, price: v.price })),
      deleted: false,
    })),
    deletedCustomers: deleted.customers.map((id) => ({ id, gone: true })),
    deletedOrders: deleted.orders.map((id) => ({ id, gone: true })),
    deletedProducts: deleted.products.map((id) => ({ id, gone: true })),
    // Nothing listed that the truth does not hold (a stray contact or order, a deleted record).
    listedCustomers: [
      ...truth.customers.map((c) => String(c.haravanId)),
      ...truth.receivers.map((r) => receiverId(r.key)),
    ].sort(),
    listedOrders: truth.orders.map((o) => String(o.haravanId)).sort(),
    listedProducts: truth.products.map((p) => String(p.haravanId)).sort(),
    reportByStore: reportBy(truth, (o) => String(o.locationId), true),
    reportByDay: reportBy(truth, (o) => shopDay(o.createdAt), false),
  };
}
export type View = ReturnType<typeof expectedView>;
/** The same sections as the read API answers them: null where it has nothing (yet). */
export type Answered = Record<keyof View, unknown[]>;

const ABSENT = '<absent>';

/**
 * `answer` cut to the fields `like` has, objects and arrays of them alike, so a view compares only
 * what the truth states (an entry the truth has not, or lacks, still shows).
 */
function cut(answer: unknown, like: unknown): unknown {
  if (Array.isArray(answer) && Array.isArray(like))
    return answer.map((item, i) => cut(item, like[i] ?? like[0] ?? {}));
  if (answer === null || like === null || typeof answer !== 'object' || typeof like !== 'object')
    return answer;
  const fields = answer as Record<string, unknown>;
  const likeFields = like as Record<string, unknown>;
  // A field the answer lacks shows as such, not as the null the truth may expect.
  return Object.fromEntries(
    Object.keys(like).map((key) => [key, key in fields ? cut(fields[key], likeFields[key]) : ABSENT]),
  );
}

/** The same facts as the read API answers them, entry for entry (null for anything it does not have yet). */
export async function actualView(
  api: ReadApiClient,
  expected: View,
  opts: { unknownIsDeleted?: boolean } = {},
): Promise<Answered> {
  const one = async (path: string) => {
    const res = await api.get<Record<string, unknown>>(path);
    return res.status === 200 ? res.body : null;
  };
  const history = async (id: string) =>
    (await api.all<{ orderId: string }>(`/v1/customers/${encodeURIComponent(id)}/orders?limit=3`)).map(
      (o) => o.orderId,
    );
  const contact = async (id: string) => {
    const found = await one(`/v1/customers/${encodeURIComponent(id)}`);
    return found && { ...found, orderIds: await history(id) };
  };
  const report = async (groupBy: string) =>
    ((await one(`/v1/reports/revenue?groupBy=${groupBy}`))?.groups as unknown[] | undefined) ?? [];
  // Shown as deleted; or, where webhooks are lost (`unknownIsDeleted`), not known at all: a record
  // whose every webhook was lost before its deletion never was.
  const gone = async (path: string, id: string) => {
    const res = await api.get<{ deleted?: unknown }>(`${path}/${id}`);
    const unknown = res.status === 404 && opts.unknownIsDeleted === true;
    return { id, gone: unknown || (res.status === 200 && res.body.deleted === true) };
  };
  const listed = async (path: string, id: string) =>
    (await api.all<Record<string, unknown>>(`${path}?limit=100`)).map((item) => String(item[id])).sort();
  /** Each expected entry's answer, cut to its fields, in the truth's order. */
  const each = <T>(entries: readonly T[], read: (entry: T) => Promise<unknown>) =>
    Promise.all(entries.map(async (entry) => cut(await read(entry), entry)));
  return {
    buyers: await each(expected.buyers, (b) => contact(b.customerId)),
    receivers: await each(expected.receivers, (r) => contact(r.customerId)),
    orders: await each(expected.orders, (o) => one(`/v1/orders/${o.orderId}`)),
    products: await each(expected.products, (p) => one(`/v1/products/${p.productId}`)),
    deletedCustomers: await each(expected.deletedCustomers, (d) => gone('/v1/customers', d.id)),
    deletedOrders: await each(expected.deletedOrders, (d) => gone('/v1/orders', d.id)),
    deletedProducts: await each(expected.deletedProducts, (d) => gone('/v1/products', d.id)),
    listedCustomers: await listed('/v1/customers', 'customerId'),
    listedOrders: await listed('/v1/orders', 'orderId'),
    listedProducts: await listed('/v1/products', 'productId'),
    reportByStore: cut(await report('store'), expected.reportByStore) as unknown[],
    reportByDay: cut(await report('day'), expected.reportByDay) as unknown[],
  };
}

/** Each entry of the views that differs, named by its section and index; empty when they agree. */
export function differences(expected: View, actual: Answered): string[] {
  const found: string[] = [];
  for (const section of Object.keys(expected) as (keyof View)[]) {
    const want: readonly unknown[] = expected[section];
    const got: readonly unknown[] = actual[section];
    for (let i = 0; i < Math.max(want.length, got.length); i++) {
      const [w, g] = [JSON.stringify(want[i] ?? null), JSON.stringify(got[i] ?? null)];
      if (w !== g) found.push(`${section}[${i}]: got ${g}, want ${w}`);
    }
  }
  return found;
}

import { refreshCustomerAggregates } from './customer-aggregates.js';
import { requireCustomer, withoutDefault, type AddressPatch } from './customer-actions.js';
import { fakeAddress, fakePerson, fakePhone } from './fake-person.js';
import { toUnits, type MoneyInput } from './money-input.js';
import type { FinancialStatus, SimAddress, SimLineItem, SimOrder, SimTransaction } from './model.js';
import { orderTotals } from './order-totals.js';
import type { ShopCore } from './shop-core.js';
import { LOCATIONS } from './vietnam-data.js';

export interface LineItemInput {
  variantId?: number;
  title?: string;
  quantity?: number;
  price?: MoneyInput;
  sku?: string | null;
}

export interface CreateOrderInput {
  /** null: a POS walk-in without a customer. */
  customerId: number | null;
  /** Fields that differ from the buyer's default address on the billing address (e.g. `phone: null`). */
  billingAddress?: AddressPatch;
  /** Ship to another person (R12); fields not given are made up. */
  receiver?: AddressPatch;
  /** Overrides the shipping address outright; null ships nowhere (POS pickup). */
  shippingAddress?: AddressPatch | null;
  lineItems?: LineItemInput[];
  financialStatus?: 'pending' | 'authorized' | 'paid' | 'partially_paid';
  /** Shipping fee; 0 or null means no shipping line. */
  shipping?: MoneyInput | null;
  discount?: MoneyInput;
  /** A free-shipping code: the shipping line keeps its price, the total drops it. */
  freeShipping?: boolean;
  sourceName?: string;
  locationId?: number;
  email?: string | null;
  note?: string | null;
  noteAttributes?: { name: string; value: string }[];
  tags?: string | null;
  fulfillmentStatus?: string | null;
}

const GATEWAYS = {
  cod: { gateway: 'Thanh toán khi giao hàng (COD)', code: 'COD' },
  bank: { gateway: 'Chuyển khoản qua ngân hàng', code: 'BankDeposit' },
  cash: { gateway: 'Tiền mặt', code: 'Cash' },
} as const;

function pickLineItems(core: ShopCore, inputs: LineItemInput[] | undefined): SimLineItem[] {
  const variants = [...core.products.values()].flatMap((p) =>
    p.variants.map((v) => ({ product: p, variant: v })),
  );
  const chosen: LineItemInput[] =
    inputs ??
    (variants.length === 0
      ? [{ title: 'Sản phẩm tùy chỉnh', price: 150_000 }]
      : Array.from({ length: core.rng.int(1, 3) }, () => ({
          variantId: core.rng.pick(variants).variant.id,
          quantity: core.rng.int(1, 3),
        })));
  return chosen.map((input) => {
    const match =
      input.variantId === undefined ? undefined : variants.find((v) => v.variant.id === input.variantId);
    if (input.variantId !== undefined && !match) throw new Error(`no variant ${input.variantId}`);
    const price = input.price !== undefined ? toUnits(input.price) : match?.variant.price;
    if (price === undefined) throw new Error('a line item without a variant needs a price');
    return {
      id: core.nextId('lineItem'),
      productId: match?.product.id ?? null,
      variantId: match?.variant.id ?? null,
      sku: input.sku !== undefined ? input.sku : (match?.variant.sku ?? null),
      title: input.title ?? match?.product.title ?? 'Sản phẩm tùy chỉnh',
      variantTitle: match?.variant.title ?? null,
      vendor: match?.product.vendor ?? null,
      productType: match?.product.productType ?? null,
      quantity: input.quantity ?? 1,
      price,
      grams: match?.variant.grams ?? 0,
    };
  });
}

function orderAddress(core: ShopCore, patch: AddressPatch, fallback: SimAddress | undefined): SimAddress {
  const person = fakePerson(core.rng);
  const base = fallback ?? {
    ...fakeAddress(core.rng, person, fakePhone(core.rng, person.phoneNational)),
    id: 0,
    isDefault: false,
  };
  return { ...base, countryCode: 'VN', ...withoutDefault(patch), id: 0, isDefault: false };
}

function initialTransactions(
  core: ShopCore,
  status: FinancialStatus,
  total: bigint,
  gateway: string,
  at: SimOrder['createdAt'],
): SimTransaction[] {
  const tx = (kind: SimTransaction['kind'], amount: bigint, txStatus: string): SimTransaction => ({
    id: core.nextId('transaction'),
    kind,
    amount,
    status: txStatus,
    gateway,
    createdAt: at,
  });
  switch (status) {
    case 'paid':
      return [tx('sale', total, core.rng.chance(0.2) ? 'Thành công' : 'success')];
    case 'partially_paid':
    case 'partiallypaid':
      return [tx('capture', halfRoundedDown(total), 'success')];
    case 'authorized':
      return [tx('authorization', total, 'success')];
    case 'pending':
    case 'partially_refunded':
    case 'refunded':
    case 'voided':
      return [tx('pending', total, 'pending')];
  }
}

export function halfRoundedDown(total: bigint): bigint {
  const thousandVnd = 1000n * 10_000n;
  const half = (total / 2n / thousandVnd) * thousandVnd;
  return half > 0n ? half : total / 2n;
}

export function createOrder(core: ShopCore, input: CreateOrderInput): SimOrder {
  const now = core.beginChange();
  const at = core.stampAt(now);
  const rng = core.rng;
  const customer = input.customerId === null ? undefined : requireCustomer(core, input.customerId);
  const defaultAddress = customer?.addresses.find((a) => a.isDefault);
  const buyerAddress = customer
    ? orderAddress(
        core,
        input.billingAddress ?? {},
        defaultAddress ?? { ...fakeAddress(rng, customer, customer.phone), id: 0, isDefault: false },
      )
    : null;
  let shippingAddress: SimAddress | null;
  if (input.shippingAddress !== undefined) {
    shippingAddress =
      input.shippingAddress === null ? null : orderAddress(core, input.shippingAddress, undefined);
  } else if (input.receiver) {
    shippingAddress = orderAddress(core, input.receiver, undefined);
  } else {
    shippingAddress = buyerAddress ? { ...buyerAddress } : null;
  }
  const sourceName =
    input.sourceName ??
    (customer ? rng.pick(['web', 'web', 'pos', 'iphone', 'haravan_draft_order'] as const) : 'pos');
  const location =
    LOCATIONS.find((l) => l.id === input.locationId) ??
    (sourceName === 'pos' ? rng.pick(LOCATIONS.slice(0, 2)) : LOCATIONS[2]);
  const shipping =
    input.shipping === undefined
      ? sourceName === 'pos'
        ? null
        : rng.pick([20_000, 30_000, 35_000, 0])
      : input.shipping;
  const shippingUnits = shipping === null ? 0n : toUnits(shipping);
  const gateway = sourceName === 'pos' ? GATEWAYS.cash : rng.chance(0.6) ? GATEWAYS.cod : GATEWAYS.bank;
  const requested = input.financialStatus ?? 'pending';
  // Haravan sometimes spells it without the underscore.
  const financialStatus: FinancialStatus =
    requested === 'partially_paid' && rng.chance(0.3) ? 'partiallypaid' : requested;
  const order: SimOrder = {
    id: core.nextId('order'),
    orderNumber: core.nextOrderNumber(),
    customerId: customer?.id ?? null,
    email: input.email !== undefined ? input.email : (customer?.email ?? null),
    lineItems: pickLineItems(core, input.lineItems),
    shippingLines:
      shippingUnits > 0n ? [{ code: 'GHN', title: 'Giao hàng tiêu chuẩn', price: shippingUnits }] : [],
    discountCodes: [
      ...(input.discount !== undefined
        ? [{ code: 'GIAM', amount: toUnits(input.discount), type: 'fixed_amount' as const }]
        : []),
      ...(input.freeShipping && shippingUnits > 0n
        ? [{ code: 'FREESHIP', amount: shippingUnits, type: 'shipping' as const }]
        : []),
    ],
    shippingAddress,
    billingAddress: buyerAddress,
    financialStatus,
    fulfillmentStatus:
      input.fulfillmentStatus !== undefined
        ? input.fulfillmentStatus
        : rng.pick(['notfulfilled', 'notfulfilled', 'notfulfilled', null, 'Chưa hoàn thành']),
    cancelledAt: null,
    cancelReason: null,
    closedAt: null,
    confirmedAt: sourceName === 'pos' ? at : null,
    locationId: location.id,
    locationName: location.name,
    sourceName,
    gateway: gateway.gateway,
    gatewayCode: gateway.code,
    note: input.note ?? null,
    noteAttributes: input.noteAttributes ?? [],
    tags: input.tags ?? null,
    transactions: [],
    refunds: [],
    fulfillments: [],
    moneyStyle: rng.chance(0.5) ? 'fixed4' : 'plain',
    createdAt: at,
    updatedAt: at,
  };
  const total = orderTotals(order).totalPrice;
  if (total < 0n) throw new Error('discount exceeds the order value');
  order.transactions = initialTransactions(core, financialStatus, total, gateway.gateway, at);
  core.orders.set(order.id, order);
  if (customer) {
    const set = core.ordersByCustomer.get(customer.id) ?? new Set<number>();
    set.add(order.id);
    core.ordersByCustomer.set(customer.id, set);
  }
  core.emitOrder('orders/create', order);
  if (financialStatus === 'paid') core.emitOrder('orders/paid', order);
  refreshCustomerAggregates(core, order.customerId, now);
  return order;
}

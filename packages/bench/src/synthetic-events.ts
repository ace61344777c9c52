import {
  eventCatalog,
  eventKey,
  type CustomerSnapshot,
  type DomainEvent,
  type OrderSnapshot,
  type ProductSnapshot,
} from '@cdp/contracts';
import { sampleAddress, sampleCustomer, sampleOrder, sampleProduct } from '@cdp/contracts/samples';
import { mulberry32 } from '@cdp/haravan-sim';

const START = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (seconds: number) => new Date(START + seconds * 1000).toISOString();
const phoneOf = (n: number) => `09${String(n % 100_000_000).padStart(8, '0')}`;

interface SyntheticShape {
  products: number;
  customers: number;
}

/** 1% products and 10% customers (about six orders each), the rest order events. */
function shapeOf(total: number): SyntheticShape {
  return { products: Math.max(1, Math.floor(total / 100)), customers: Math.max(1, Math.floor(total / 10)) };
}

const customerIdOf = (n: number) => String(5_000_000 + n);
const orderIdOf = (n: number) => String(1_000_000_000 + n);
const productIdOf = (n: number) => String(3_000_000 + n);

function product(n: number, at: number): ProductSnapshot {
  const id = productIdOf(n);
  return {
    ...sampleProduct,
    productId: id,
    title: `Sản phẩm ${n}`,
    handle: `san-pham-${n}`,
    createdAt: iso(at),
    updatedAt: iso(at),
    variants: sampleProduct.variants.map((v) => ({ ...v, variantId: `${id}1`, sku: `SKU-${n}` })),
  };
}

function customer(n: number, at: number): CustomerSnapshot {
  const name = `Khách ${n}`;
  const address = { ...sampleAddress, addressId: `9${n}`, name, phone: phoneOf(n) };
  return {
    ...sampleCustomer,
    customerId: customerIdOf(n),
    name,
    firstName: String(n),
    lastName: 'Khách',
    email: `khach${n}@example.vn`,
    phone: phoneOf(n),
    createdAt: iso(at),
    updatedAt: iso(at),
    addresses: [address],
  };
}

/** A pure function of the order number, so a later event of the order needs nothing remembered. */
function order(n: number, shape: SyntheticShape, at: number, paid: boolean): OrderSnapshot {
  const buyer = (n * 7919) % shape.customers;
  const productNo = (n * 104_729) % shape.products;
  // One order in five ships to someone else: a receiver contact (R12).
  const receiverPhone = n % 5 === 0 ? phoneOf(50_000_000 + (n % 1000)) : phoneOf(buyer);
  return {
    ...sampleOrder,
    orderId: orderIdOf(n),
    orderNumber: `#${100_000 + n}`,
    createdAt: iso(n),
    updatedAt: iso(at),
    financialStatus: paid ? 'paid' : 'pending',
    financialStatusRaw: paid ? 'paid' : 'pending',
    buyer: {
      customerId: customerIdOf(buyer),
      name: `Khách ${buyer}`,
      email: `khach${buyer}@example.vn`,
      phone: phoneOf(buyer),
    },
    // The buyer's own billing address: R12 compares the shipping phone with it.
    billingAddress: { ...sampleAddress, addressId: `7${n}`, phone: phoneOf(buyer), name: `Khách ${buyer}` },
    shippingAddress: { ...sampleAddress, addressId: `8${n}`, phone: receiverPhone, name: `Người nhận ${n}` },
    lineItems: sampleOrder.lineItems.map((line) => ({
      ...line,
      lineItemId: `${n}1`,
      productId: productIdOf(productNo),
      variantId: `${productIdOf(productNo)}1`,
    })),
  };
}

const metadata = (tenantId: string, i: number, aggregateId: string) => ({
  eventId: `bench-${i}`,
  schemaVersion: 1,
  tenantId,
  aggregateId,
  occurredAt: iso(i),
  recordedAt: iso(i),
  source: 'webhook' as const,
  causationId: `bench-raw/${i}`,
});

/**
 * `total` domain events of one tenant, as the decider would write them: the catalogue, then the
 * customers, then new orders mixed with payments of earlier ones. Lazy, so a million events are
 * never all in memory.
 */
export function* syntheticEvents(tenantId: string, total: number): Generator<DomainEvent> {
  const shape = shapeOf(total);
  const random = mulberry32(42);
  let orders = 0;
  for (let i = 0; i < total; i++) {
    if (i < shape.products) {
      const p = product(i, i);
      yield { type: 'ProductUpserted', data: { product: p }, metadata: metadata(tenantId, i, p.productId) };
    } else if (i < shape.products + shape.customers) {
      const c = customer(i - shape.products, i);
      yield {
        type: 'CustomerUpserted',
        data: { customer: c },
        metadata: metadata(tenantId, i, c.customerId),
      };
    } else if (orders > 0 && random() < 0.25) {
      const o = order(Math.floor(random() * orders), shape, i, true);
      yield {
        type: 'PaymentStatusChanged',
        data: { order: o, previousStatus: 'pending', status: 'paid' },
        metadata: metadata(tenantId, i, o.orderId),
      };
    } else {
      const o = order(orders++, shape, i, false);
      yield { type: 'OrderCreated', data: { order: o }, metadata: metadata(tenantId, i, o.orderId) };
    }
  }
}

/** The topic stream and Kafka key the decider gives an event. */
export const routeOf = (event: DomainEvent) => ({
  stream: eventCatalog[event.type].stream,
  key: eventKey(event.metadata.tenantId, event.metadata.aggregateId),
});

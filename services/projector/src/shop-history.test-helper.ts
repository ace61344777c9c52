import type { DomainEvent, OrderSnapshot } from '@cdp/contracts';
import { sampleAddress, sampleCustomer, sampleOrder, sampleProduct } from '@cdp/contracts/samples';

export const metadata = (i: number, aggregateId: string) => ({
  eventId: `sole-${i}`,
  schemaVersion: 1,
  tenantId: 'sole-shop',
  aggregateId,
  occurredAt: '2026-11-20T03:04:05.123Z',
  recordedAt: '2026-11-20T03:04:06.000Z',
  source: 'webhook' as const,
  causationId: `raw-${i}`,
});

export const order = (n: number, buyer: string, changes: Partial<OrderSnapshot> = {}): OrderSnapshot => ({
  ...sampleOrder,
  orderId: String(9000 + n),
  orderNumber: `#${9000 + n}`,
  createdAt: `2026-11-${String(10 + n).padStart(2, '0')}T03:00:00.000Z`,
  financialStatus: 'pending',
  buyer: { customerId: buyer, name: `Khách ${buyer}`, email: null, phone: `+8491200${buyer}` },
  // Every other order ships to someone else: a receiver contact (R12).
  shippingAddress: { ...sampleAddress, name: `Người nhận ${n % 4}`, phone: `+8498800000${n % 4}` },
  ...(n % 2 === 0 && { shippingAddress: { ...sampleAddress, phone: `+8491200${buyer}` } }),
  ...changes,
});

export type Unstamped = DomainEvent extends infer E
  ? E extends DomainEvent
    ? Omit<E, 'metadata'>
    : never
  : never;

const aggregateOf = (e: Unstamped): string => {
  switch (e.type) {
    case 'CustomerUpserted':
      return e.data.customer.customerId;
    case 'ProductUpserted':
      return e.data.product.productId;
    case 'ProductDeleted':
      return e.data.productId;
    case 'CustomerDeleted':
      return e.data.customerId;
    case 'OrderDeleted':
      return e.data.orderId;
    case 'OrderCreated':
    case 'OrderUpdated':
    case 'PaymentStatusChanged':
    case 'OrderCancelled':
      return e.data.order.orderId;
  }
};

/** Events as the projector reads them: ids and causations from `first` on, each of its own aggregate. */
export const stamped = (events: Unstamped[], first: number): DomainEvent[] =>
  events.map((e, i) => ({ ...e, metadata: metadata(first + i, aggregateOf(e)) }));

/** A shop's history touching every kind of write: new and changed orders, buyers, receivers, profiles, products. */
export function history(): DomainEvent[] {
  const paid = { financialStatus: 'paid' as const };
  const at = '2026-11-29T00:00:00.000Z';
  const events: Unstamped[] = [
    { type: 'ProductUpserted', data: { product: sampleProduct } },
    { type: 'CustomerUpserted', data: { customer: { ...sampleCustomer, customerId: '5001' } } },
    ...[1, 2, 3, 4, 5, 6].map((n): Unstamped => ({
      type: 'OrderCreated',
      data: { order: order(n, n % 3 === 0 ? '5002' : '5001') },
    })),
    {
      type: 'PaymentStatusChanged',
      data: { order: order(1, '5001', paid), previousStatus: 'pending', status: 'paid' },
    },
    {
      type: 'OrderCancelled',
      data: { order: order(3, '5002', { cancelled: true, cancelledAt: at }), reason: 'customer' },
    },
    {
      type: 'CustomerUpserted',
      data: { customer: { ...sampleCustomer, customerId: '5002', name: 'Trần Thị Bình' } },
    },
    // The order moves to another buyer.
    { type: 'OrderUpdated', data: { order: order(4, '5002', paid), changedFields: ['buyer'] } },
    { type: 'OrderDeleted', data: { orderId: '9005', deletedAt: at } },
    {
      type: 'CustomerUpserted',
      data: { customer: { ...sampleCustomer, customerId: '5001', email: 'moi@example.vn' } },
    },
    { type: 'ProductDeleted', data: { productId: sampleProduct.productId, deletedAt: at } },
    {
      type: 'PaymentStatusChanged',
      data: { order: order(6, '5002', paid), previousStatus: 'pending', status: 'paid' },
    },
  ];
  return stamped(events, 0);
}

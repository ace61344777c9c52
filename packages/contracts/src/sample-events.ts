import type { Address } from './address';
import type { CustomerSnapshot } from './customer-snapshot';
import type { DomainEvent, EventType } from './domain-event';
import type { EventMetadata } from './event-metadata';
import type { OrderSnapshot } from './order-snapshot';
import type { ProductSnapshot } from './product-snapshot';

/** Hand-made, fully populated events for tests and benchmarks (`@cdp/contracts/samples`, not the main export). */
const metadata = (type: EventType, aggregateId: string): EventMetadata => ({
  eventId: `sample-${type}-${aggregateId}`,
  schemaVersion: 1,
  tenantId: 'demo',
  aggregateId,
  occurredAt: '2026-11-20T03:04:05.123Z',
  recordedAt: '2026-11-20T03:04:06.000Z',
  source: 'webhook',
  causationId: 'raw-1',
});

export const sampleAddress: Address = {
  addressId: '9001',
  isDefault: true,
  name: 'Nguyễn Văn An',
  firstName: 'An',
  lastName: 'Nguyễn Văn',
  phone: '0912345678',
  company: null,
  address1: '12 Lý Thường Kiệt',
  address2: null,
  ward: 'Phường Bến Nghé',
  wardCode: '26740',
  district: 'Quận 1',
  districtCode: 'HC476',
  province: 'Hồ Chí Minh',
  provinceCode: 'HC',
  country: 'Vietnam',
  countryCode: 'VN',
  zip: null,
};

export const sampleOrder: OrderSnapshot = {
  orderId: '1138637099',
  orderNumber: '#100020',
  createdAt: '2026-11-20T03:00:00.000Z',
  updatedAt: '2026-11-20T03:04:05.123Z',
  financialStatus: 'paid',
  financialStatusRaw: 'paid',
  fulfillmentStatus: 'notfulfilled',
  cancelled: false,
  cancelledAt: null,
  cancelReason: null,
  confirmed: true,
  closed: false,
  currency: 'VND',
  totalPrice: '13230000',
  subtotalPrice: '13200000',
  totalDiscounts: '0',
  totalShipping: '30000',
  totalRefunded: '0',
  locationId: '1001',
  locationName: 'Cửa hàng Quận 1',
  sourceName: 'web',
  buyer: { customerId: '5001', name: 'Nguyễn Văn An', email: 'an@example.vn', phone: '+84912345678' },
  billingAddress: sampleAddress,
  shippingAddress: sampleAddress,
  lineItems: [
    {
      lineItemId: '7001',
      productId: '3001',
      variantId: '4001',
      sku: 'AO-THUN-M',
      title: 'Áo thun',
      variantTitle: 'M',
      quantity: 2,
      price: '6600000',
      totalDiscount: '0',
    },
  ],
  shippingLines: [{ code: 'GHN', title: 'Giao hàng nhanh', price: '30000' }],
  discountCodes: [{ code: 'TET', amount: '0', type: 'fixed_amount' }],
};

export const sampleCustomer: CustomerSnapshot = {
  customerId: '5001',
  createdAt: '2026-01-02T03:04:05Z',
  updatedAt: '2026-11-20T03:04:05.123Z',
  firstName: 'An',
  lastName: 'Nguyễn Văn',
  name: 'Nguyễn Văn An',
  email: 'an@example.vn',
  phone: null,
  gender: 1,
  birthday: '1990-05-01T00:00:00Z',
  tags: ['vip'],
  acceptsMarketing: true,
  state: 'enabled',
  note: null,
  addresses: [sampleAddress, { ...sampleAddress, addressId: '9002', isDefault: false }],
};

export const sampleProduct: ProductSnapshot = {
  productId: '3001',
  createdAt: '2026-01-02T03:04:05Z',
  updatedAt: '2026-11-20T03:04:05.123Z',
  title: 'Áo thun',
  handle: 'ao-thun',
  productType: 'Áo',
  vendor: 'Local',
  tags: [],
  publishedAt: null,
  variants: [
    {
      variantId: '4001',
      title: 'M',
      sku: 'AO-THUN-M',
      barcode: null,
      price: '6600000',
      compareAtPrice: null,
      inventoryQuantity: -2,
    },
  ],
};

const deletedAt = '2026-11-21T00:00:00.000Z';

export const sampleEvents: DomainEvent[] = [
  { type: 'OrderCreated', data: { order: sampleOrder }, metadata: metadata('OrderCreated', '1138637099') },
  {
    type: 'OrderUpdated',
    data: {
      order: { ...sampleOrder, buyer: null, shippingAddress: null },
      changedFields: ['fulfillmentStatus'],
    },
    metadata: metadata('OrderUpdated', '1138637099'),
  },
  {
    type: 'PaymentStatusChanged',
    data: { order: sampleOrder, previousStatus: 'pending', status: 'paid' },
    metadata: metadata('PaymentStatusChanged', '1138637099'),
  },
  {
    type: 'OrderCancelled',
    data: { order: { ...sampleOrder, cancelled: true, cancelledAt: deletedAt }, reason: 'customer' },
    metadata: metadata('OrderCancelled', '1138637099'),
  },
  {
    type: 'OrderDeleted',
    data: { orderId: '1138637099', deletedAt },
    metadata: metadata('OrderDeleted', '1138637099'),
  },
  {
    type: 'CustomerUpserted',
    data: { customer: sampleCustomer },
    metadata: metadata('CustomerUpserted', '5001'),
  },
  {
    type: 'CustomerDeleted',
    data: { customerId: '5001', deletedAt },
    metadata: metadata('CustomerDeleted', '5001'),
  },
  {
    type: 'ProductUpserted',
    data: { product: sampleProduct },
    metadata: metadata('ProductUpserted', '3001'),
  },
  {
    type: 'ProductDeleted',
    data: { productId: '3001', deletedAt },
    metadata: metadata('ProductDeleted', '3001'),
  },
];

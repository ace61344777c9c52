import { orderSnapshotSchema } from '@cdp/contracts';
import { describe, expect, it } from 'vitest';
import { haravanOrder } from './haravan-payloads.fixture';
import { INVALID_PAYLOAD } from './invalid-payload';
import { normalizeOrder, orderEmbeddedCustomer } from './normalize-order';

function normalized(payload: unknown) {
  const result = normalizeOrder(payload);
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return orderSnapshotSchema.parse(result.value);
}

describe('normalizeOrder', () => {
  it('given a documented web order, when normalised, then ids, money, statuses and lines follow the contract', () => {
    const order = normalized(haravanOrder);

    expect(order).toMatchObject({
      orderId: '1138637099',
      orderNumber: '#100020',
      createdAt: '2021-10-20T14:07:45.100Z',
      updatedAt: '2021-10-20T14:09:53.190Z',
      financialStatus: 'partially_paid',
      financialStatusRaw: 'partiallypaid',
      fulfillmentStatus: 'notfulfilled',
      cancelled: false,
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
    });
    expect(order.lineItems).toEqual([
      {
        lineItemId: '2001',
        productId: '3001',
        variantId: '4001',
        sku: 'SKU-1',
        title: 'Áo thun',
        variantTitle: 'M / Đỏ',
        quantity: 2,
        price: '6600000',
        totalDiscount: '0',
      },
      {
        lineItemId: '2002',
        productId: null,
        variantId: null,
        sku: null,
        title: 'Quà tặng',
        variantTitle: null,
        quantity: 1,
        price: '0',
        totalDiscount: '0',
      },
    ]);
    expect(order.discountCodes).toEqual([{ code: 'SALE10', amount: '0', type: 'percentage' }]);
  });

  it('given an embedded customer, when normalised, then the buyer carries its id, name, lower-cased email and E.164 phone', () => {
    expect(normalized(haravanOrder).buyer).toEqual({
      customerId: '1002318764',
      name: 'Nguyễn Văn An',
      email: 'an.nguyen@example.com',
      phone: '+84333333333',
    });
  });

  it('given a buyer with an empty phone, when normalised, then the phone comes from their default address (R8)', () => {
    const order = normalized({
      ...haravanOrder,
      customer: { ...haravanOrder.customer, phone: '', name: null },
    });

    expect(order.buyer).toMatchObject({ phone: '+84912345678', name: 'Nguyễn Văn An' });
  });

  it('given a POS walk-in order with customer null, when normalised, then buyer is null and no embedded customer is returned', () => {
    const pos = { ...haravanOrder, source_name: 'pos', customer: null };

    expect(normalized(pos).buyer).toBeNull();
    expect(orderEmbeddedCustomer(pos)).toBeNull();
  });

  it('given a shipping address with a 84… phone and lower-case country code, when normalised, then both are canonical', () => {
    expect(normalized(haravanOrder).shippingAddress).toMatchObject({
      addressId: null,
      isDefault: false,
      name: 'Trần Thị Bình',
      phone: '+84901234567',
      countryCode: 'VN',
      districtCode: 'HC476',
    });
  });

  it.each([
    ['paid', 'paid'],
    ['PAID', 'paid'],
    ['partially_paid', 'partially_paid'],
    ['partiallypaid', 'partially_paid'],
    ['Partially_Refunded', 'partially_refunded'],
    ['partiallyrefunded', 'partially_refunded'],
    ['voided', 'voided'],
    ['something-new', 'unknown'],
    [null, 'unknown'],
  ])(
    'given financial_status %j, when normalised, then status is %s and the raw value is kept',
    (raw, status) => {
      const order = normalized({ ...haravanOrder, financial_status: raw });

      expect(order.financialStatus).toBe(status);
      expect(order.financialStatusRaw).toBe(raw);
    },
  );

  it.each([
    ['fulfilled', 'fulfilled'],
    ['partial', 'partial'],
    ['notfulfilled', 'notfulfilled'],
    ['Chưa hoàn thành', 'notfulfilled'],
    ['restock', 'restocked'],
    ['Nhập kho', 'restocked'],
    ['Đang giao', 'đang giao'],
    [null, null],
  ])('given fulfillment_status %j, when normalised, then it is %j', (raw, status) => {
    expect(normalized({ ...haravanOrder, fulfillment_status: raw }).fulfillmentStatus).toBe(status);
  });

  it('given a cancelled and closed order, when normalised, then the flags, time and reason are set', () => {
    const order = normalized({
      ...haravanOrder,
      cancelled_status: 'cancelled',
      cancelled_at: '2021-10-21T01:02:03.5Z',
      cancel_reason: 'customer',
      closed_status: 'unclosed',
      closed_at: '2021-10-21T01:02:03Z',
      confirmed_status: 'unconfirmed',
    });

    expect(order).toMatchObject({
      cancelled: true,
      cancelledAt: '2021-10-21T01:02:03.500Z',
      cancelReason: 'customer',
      closed: true,
      confirmed: false,
    });
  });

  it('given refunds with a negative, failed (in English or Vietnamese), pending and non-refund transactions, when normalised, then only refunds that moved money count', () => {
    const order = normalized({
      ...haravanOrder,
      financial_status: 'partially_refunded',
      refunds: [
        {
          id: 1,
          refund_line_items: null,
          transactions: [
            { kind: 'refund', amount: -520000, status: 'success' },
            { kind: 'Refund', amount: 729000.5, status: 'Thành công' },
            { kind: 'refund', amount: 100, status: 'failure' },
            { kind: 'refund', amount: 200, status: 'Thất bại' },
            { kind: 'refund', amount: 300, status: 'pending' },
            { kind: 'refund', amount: 400, status: 'Đang xử lý' },
            { kind: 'capture', amount: 999, status: 'success' },
          ],
        },
        { id: 2, transactions: null },
      ],
    });

    expect(order.totalRefunded).toBe('1249000.5');
  });

  it.each([
    ['2021-10-20T14:07:45Z', '2021-10-20T14:07:45.000Z'],
    ['2021-10-20T14:07:45.1Z', '2021-10-20T14:07:45.100Z'],
    ['2021-10-20T14:07:45.062Z', '2021-10-20T14:07:45.062Z'],
    ['2021-10-20T14:07:45.0623456Z', '2021-10-20T14:07:45.062Z'],
    ['2021-10-20T14:07:45.577', '2021-10-20T14:07:45.577Z'],
    ['2021-10-20T21:07:45+07:00', '2021-10-20T14:07:45.000Z'],
  ])('given updated_at %s, when normalised, then it is the UTC instant %s', (raw, iso) => {
    expect(normalized({ ...haravanOrder, updated_at: raw }).updatedAt).toBe(iso);
  });

  it('given money as numeric strings and missing totals, when normalised, then strings parse and missing totals are "0"', () => {
    const order = normalized({
      ...haravanOrder,
      total_discounts: undefined,
      total_price: '729000',
      subtotal_price: null,
      shipping_lines: null,
    });

    expect(order).toMatchObject({
      totalPrice: '729000',
      subtotalPrice: '0',
      totalDiscounts: '0',
      totalShipping: '0',
    });
  });

  it('given the REST shape wrapped in {"order": …} and a numeric-string id, when normalised, then it is read like a webhook body', () => {
    expect(normalized({ order: { ...haravanOrder, id: '1138637099' } }).orderId).toBe('1138637099');
  });

  it.each([
    ['no id', { ...haravanOrder, id: null }],
    ['a non-numeric id', { ...haravanOrder, id: 'abc' }],
    ['no updated_at', { ...haravanOrder, updated_at: null }],
    ['an unparseable created_at', { ...haravanOrder, created_at: 'yesterday' }],
    ['not an object', 'hello'],
    ['an array', [haravanOrder]],
  ])('given %s, when normalised, then it is an invalid-payload error, not a throw', (_case, payload) => {
    const result = normalizeOrder(payload);

    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: INVALID_PAYLOAD, retriable: false });
  });
});

describe('orderEmbeddedCustomer', () => {
  it('given an order with a customer, when read, then the customer is normalised with its own updated_at as version', () => {
    const customer = orderEmbeddedCustomer(haravanOrder);

    expect(customer?.ok && customer.value).toMatchObject({
      customerId: '1002318764',
      updatedAt: '2021-10-20T14:07:45.084Z',
      phone: '+84333333333',
    });
  });

  it('given a customer without an id, when read, then there is no embedded customer', () => {
    expect(orderEmbeddedCustomer({ ...haravanOrder, customer: { name: 'Khách lẻ' } })).toBeNull();
  });

  it('given a customer embedded without its address list, when read, then it is not taken for the whole customer', () => {
    const { addresses: _addresses, ...partial } = haravanOrder.customer;
    expect(orderEmbeddedCustomer({ ...haravanOrder, customer: partial })).toBeNull();
  });
});

describe('normalizeOrder on absurd money', () => {
  it('given a total of 1e21 (beyond what parseMoney can read), when normalised, then it counts as missing instead of throwing', () => {
    const result = normalizeOrder({ ...haravanOrder, total_price: 1e21 });

    expect(result.ok && result.value.totalPrice).toBe('0');
  });
});

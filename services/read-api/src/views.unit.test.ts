import { describe, expect, it } from 'vitest';
import { fulfillmentStatuses } from '@cdp/contracts';
import { receiverIdOf } from '@cdp/read-models';
import { customerView, customerViewSchema } from './customer-view';
import { orderStatusOf, orderStatuses, orderView, orderViewSchema } from './order-view';
import { productView, productViewSchema } from './product-view';
import { customerDoc, orderDoc, productDoc } from './read-model-docs.test-helper';

describe('views', () => {
  it('a profile carries money as a decimal string and matches its schema exactly', () => {
    const view = customerView(customerDoc('t1'), 'as-written');
    expect(customerViewSchema.parse(view)).toEqual(view);
    expect(view).toMatchObject({
      customerId: '5001',
      revenue: '13230000.5',
      totalOrders: 1,
      phone: '+84912345678',
    });
    expect(view.addresses.filter((a) => a.isDefault)).toHaveLength(1);
    expect(view).not.toHaveProperty('_id');
    expect(view).not.toHaveProperty('tenantId');
  });

  it("shows the revenue of the tenant's policy", () => {
    expect(customerView(customerDoc('t1'), 'net-of-refunds').revenue).toBe('13000000');
    const refunded = orderDoc('t1', { financialStatus: 'partially_refunded', totalRefunded: '500000' });
    expect(orderView(refunded, 'as-written').revenueContribution).toBe('13200000');
    expect(orderView(refunded, 'net-of-refunds').revenueContribution).toBe('12700000');
  });

  it('shows a receiver with no Haravan id and as not a buyer', () => {
    const id = receiverIdOf('phone:+84900000001');
    const view = customerView(
      customerDoc('t1', { customerId: id, isBuyer: false, haravanId: null }),
      'as-written',
    );
    expect(customerViewSchema.parse(view)).toMatchObject({ customerId: id, haravanId: null, isBuyer: false });
  });

  it('an order carries every amount as a decimal string, its store and its receiver', () => {
    const view = orderView(orderDoc('t1', { financialStatus: 'partially_refunded' }), 'as-written');
    expect(orderViewSchema.parse(view)).toEqual(view);
    expect(view).toMatchObject({
      orderId: '1138637099',
      totalPrice: '13230000',
      totalShipping: '30000',
      revenueContribution: '13200000',
      store: { id: '1001', name: 'Cửa hàng Quận 1' },
      orderStatus: 'notfulfilled',
      buyerId: '5001',
      receiverId: null, // the shipping address names the buyer
    });
    expect(view.lineItems[0]?.price).toBe('6600000');
  });

  it('names the order status from the latest state', () => {
    expect(orderView(orderDoc('t1', { cancelled: true, closed: true }), 'as-written').orderStatus).toBe(
      'cancelled',
    );
    expect(orderView(orderDoc('t1', { closed: true }), 'as-written').orderStatus).toBe('closed');
    expect(
      orderView(orderDoc('t1', { fulfillmentStatus: null, confirmed: false }), 'as-written').orderStatus,
    ).toBe('unconfirmed');
  });

  it('names only the order statuses the list filters on, for any state of a normalised order', () => {
    const named = new Set<string>();
    for (const fulfillmentStatus of [null, ...fulfillmentStatuses])
      for (const cancelled of [false, true])
        for (const closed of [false, true])
          for (const confirmed of [false, true])
            named.add(orderStatusOf({ fulfillmentStatus, cancelled, closed, confirmed }));
    expect([...named].sort()).toEqual([...orderStatuses].sort());
  });

  it('a product matches its schema with prices as strings', () => {
    const view = productView(productDoc('t1'));
    expect(productViewSchema.parse(view)).toEqual(view);
    expect(view.variants[0]?.price).toBe('6600000');
  });
});

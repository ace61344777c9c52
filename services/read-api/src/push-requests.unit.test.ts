import { describe, expect, it } from 'vitest';
import { customerPushRequest, splitName } from './haravan-push-request';
import { orderInputSchema, orderPushRequest } from './order-push-request';
import { customerDoc } from './read-model-docs.test-helper';

describe('customer push requests (R22)', () => {
  it('splits a Vietnamese full name the way Haravan joins it back (last name first)', () => {
    expect(splitName('Nguyễn Văn An')).toEqual({ first_name: 'An', last_name: 'Nguyễn Văn' });
    expect(splitName(' An ')).toEqual({ first_name: 'An', last_name: null });
  });

  it('updates a profile that has a Haravan id with only what the push changes, and creates one that has none whole', () => {
    // Its phone is its default address's (R8): not the customer's own, so never sent back unasked.
    const buyer = customerDoc('t', { customerId: '42', haravanId: '42', note: 'VIP', phone: '+84900000001' });
    expect(customerPushRequest(buyer, '42', { email: 'new@example.vn' })).toEqual({
      method: 'PUT',
      path: 'customers/42.json',
      topic: 'customers/update',
      body: { customer: { email: 'new@example.vn' } },
    });
    // The Facebook link is set in the note Haravan has when the update is sent, not in the CDP's copy.
    expect(
      customerPushRequest(buyer, '42', { name: 'Lê An', facebookUrl: 'https://fb.com/an' }).body,
    ).toEqual({ customer: { first_name: 'An', last_name: 'Lê' } });
    const contact = customerDoc('t', {
      customerId: 'receiver:x',
      haravanId: null,
      name: 'Trần Thị Bình',
      firstName: null,
      lastName: null,
    });
    const create = customerPushRequest(contact, null, { facebookUrl: 'https://fb.com/binh' });
    expect(create).toMatchObject({ method: 'POST', path: 'customers.json', topic: 'customers/create' });
    expect((create.body['customer'] as { addresses: unknown[] }).addresses).toHaveLength(
      contact.addresses.length,
    );
    expect(create.body).toMatchObject({
      customer: { first_name: 'Bình', last_name: 'Trần Thị', note: 'Facebook: https://fb.com/binh' },
    });
    expect((create.body['customer'] as { addresses: unknown[] }).addresses).toHaveLength(
      contact.addresses.length,
    );
  });
});

describe('order push requests (R23)', () => {
  const input = {
    pushToHaravan: true,
    lineItems: [
      { variantId: '1001', quantity: 2 },
      { title: 'Gói quà', price: '15000.5', quantity: 1 },
    ],
    shippingAddress: { name: 'Trần Bình', phone: '0900000009', address1: '1 Lê Lợi' },
    shippingPrice: '30000',
  };

  it('refuses an order that is not to be pushed, saying why', () => {
    const parsed = orderInputSchema.safeParse({ ...input, pushToHaravan: false });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('created by pushing it');
  });

  it('refuses a line without a variant unless it has a title and a price', () => {
    expect(orderInputSchema.safeParse({ ...input, lineItems: [{ title: 'x', quantity: 1 }] }).success).toBe(
      false,
    );
  });

  it('refuses a negative price or shipping price, which Haravan would refuse after the 202', () => {
    const line = { title: 'x', quantity: 1, price: '-500000' };
    expect(orderInputSchema.safeParse({ ...input, lineItems: [line] }).success).toBe(false);
    expect(orderInputSchema.safeParse({ ...input, shippingPrice: '-1' }).success).toBe(false);
    expect(orderInputSchema.safeParse({ ...input, lineItems: [{ ...line, price: '0' }] }).success).toBe(true);
  });

  it("builds Haravan's order body: numbers for money and ids, the buyer by Haravan id, marked with its command", () => {
    const request = orderPushRequest(orderInputSchema.parse(input), '5001', 'cmd-1');
    expect(request).toMatchObject({ method: 'POST', path: 'orders.json', topic: 'orders/create' });
    expect(request.body).toEqual({
      order: {
        customer: { id: 5001 },
        line_items: [
          { variant_id: 1001, quantity: 2 },
          { title: 'Gói quà', price: 15000.5, quantity: 1 },
        ],
        shipping_address: {
          first_name: 'Bình',
          last_name: 'Trần',
          phone: '0900000009',
          address1: '1 Lê Lợi',
          address2: null,
          ward: null,
          district: null,
          province: null,
        },
        shipping_lines: [{ title: 'Shipping', price: 30000 }],
        financial_status: 'pending',
        note_attributes: [{ name: 'cdp_command_id', value: 'cmd-1' }],
      },
    });
  });
});

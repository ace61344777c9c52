import { describe, expect, it } from 'vitest';
import { createSimShop, type SimShop } from './sim-shop.js';

function setup(): { shop: SimShop; buyer: number } {
  const shop = createSimShop({ seed: 1 });
  const buyer = shop.createCustomer({ firstName: 'Văn An', lastName: 'Nguyễn', phone: '0912345678' }).id;
  return { shop, buyer };
}

const order = (
  shop: SimShop,
  customerId: number | null,
  financialStatus?: 'pending' | 'authorized' | 'paid' | 'partially_paid',
) =>
  shop.createOrder({
    customerId,
    financialStatus,
    lineItems: [
      { title: 'Áo thun', price: 100_000, quantity: 2 },
      { title: 'Nón', price: 50_000.5 },
    ],
    shipping: 30_000,
  });

const profile = (shop: SimShop, id: number) => {
  const found = shop.groundTruth().customers.find((c) => c.haravanId === id);
  if (!found) throw new Error(`no truth for ${id}`);
  return found;
};

describe('ground truth', () => {
  it('R17: a newly created order adds 1 to totalOrders', () => {
    const { shop, buyer } = setup();
    expect(profile(shop, buyer).totalOrders).toBe(0);
    order(shop, buyer);
    expect(profile(shop, buyer).totalOrders).toBe(1);
    order(shop, buyer);
    expect(profile(shop, buyer)).toMatchObject({ totalOrders: 2, revenue: '0' });
  });

  it('R18: a paid order adds its total price (shipping included) to revenue', () => {
    const { shop, buyer } = setup();
    const o = order(shop, buyer);
    shop.payOrder(o.id);
    order(shop, buyer, 'paid');
    // 2 × 100000 + 50000.5 + 30000 shipping, twice
    expect(profile(shop, buyer)).toMatchObject({ revenue: '560001', totalOrders: 2 });
  });

  it('R19: a cancelled order leaves revenue and totalOrders, paid or not', () => {
    const { shop, buyer } = setup();
    const paid = order(shop, buyer, 'paid');
    const unpaid = order(shop, buyer);
    order(shop, buyer, 'paid');
    shop.cancelOrder(paid.id);
    shop.cancelOrder(unpaid.id);
    expect(profile(shop, buyer)).toMatchObject({ revenue: '280000.5', totalOrders: 1 });
    const truth = shop.groundTruth().orders.find((x) => x.haravanId === paid.id);
    expect(truth).toMatchObject({
      cancelled: true,
      paymentStatus: 'paid',
      countsAsOrder: false,
      revenueContribution: '0',
    });
  });

  it('R20: partially_refunded counts total price minus shipping, refund not subtracted', () => {
    const { shop, buyer } = setup();
    const o = order(shop, buyer, 'paid');
    shop.refundOrder(o.id, { amount: 100_000, includeShipping: true });
    expect(shop.order(o.id)?.financialStatus).toBe('partially_refunded');
    expect(profile(shop, buyer)).toMatchObject({ revenue: '250000.5', totalOrders: 1 });
  });

  it('R20 under net-of-refunds: a partially refunded order also loses what was refunded', () => {
    const { shop, buyer } = setup();
    const o = order(shop, buyer, 'paid');
    shop.refundOrder(o.id, { amount: 100_000, includeShipping: true });
    expect(profile(shop, buyer).revenue).toBe('250000.5');
    const net = shop.groundTruth('net-of-refunds');
    expect(net.customers.find((c) => c.haravanId === buyer)?.revenue).toBe('120000.5');
    expect(net.orders.find((x) => x.haravanId === o.id)?.revenueContribution).toBe('120000.5');
  });

  /** A paid 200,000 jacket with 30,000 shipping, discounted as `discount` says, then 5,000 refunded. */
  const partlyRefundedJacket = (discount: { freeShipping: true } | { discount: number }) => {
    const { shop, buyer } = setup();
    const o = shop.createOrder({
      customerId: buyer,
      financialStatus: 'paid',
      lineItems: [{ title: 'Áo khoác', price: 200_000 }],
      shipping: 30_000,
      ...discount,
    });
    shop.refundOrder(o.id, { amount: 5_000 });
    expect(shop.order(o.id)?.financialStatus).toBe('partially_refunded');
    return { shop, buyer };
  };

  it('R20: a free-shipping code leaves no shipping to take off a partially refunded order', () => {
    const { shop, buyer } = partlyRefundedJacket({ freeShipping: true });
    expect(profile(shop, buyer)).toMatchObject({ revenue: '200000', totalOrders: 1 });
    expect(shop.groundTruth('net-of-refunds').customers.find((c) => c.haravanId === buyer)?.revenue).toBe(
      '195000',
    );
  });

  it('R20: a discount worth more than the goods leaves a partially refunded order at 0, not below', () => {
    const { shop, buyer } = partlyRefundedJacket({ discount: 215_000 });
    expect(profile(shop, buyer)).toMatchObject({ revenue: '0', totalOrders: 1 });
    expect(shop.groundTruth('net-of-refunds').customers.find((c) => c.haravanId === buyer)?.revenue).toBe(
      '0',
    );
  });

  it('R21: pending, authorized, partially paid, voided and refunded add no revenue but count as orders', () => {
    const { shop, buyer } = setup();
    order(shop, buyer, 'pending');
    order(shop, buyer, 'authorized');
    const partial = order(shop, buyer);
    shop.partiallyPay(partial.id, 100_000);
    const voided = order(shop, buyer, 'authorized');
    shop.voidOrder(voided.id);
    const refunded = order(shop, buyer, 'paid');
    shop.refundOrder(refunded.id, { full: true });
    expect(profile(shop, buyer)).toMatchObject({ revenue: '0', totalOrders: 5 });
    const statuses = shop
      .groundTruth()
      .orders.map((x) => x.paymentStatus)
      .sort();
    expect(statuses).toEqual(['authorized', 'partially_paid', 'pending', 'refunded', 'voided']);
  });

  it('R21: totals depend on the latest state only, whatever path led there', () => {
    const { shop, buyer } = setup();
    const o = order(shop, buyer);
    shop.payOrder(o.id);
    shop.updateOrder(o.id, { note: 'a' });
    shop.updateOrder(o.id, { note: 'b' });
    expect(profile(shop, buyer).revenue).toBe('280000.5');
  });

  it('R7: one phone on two customer ids gives two profiles', () => {
    const shop = createSimShop({ seed: 2 });
    const a = shop.createCustomer({ phone: '0912345678' });
    const b = shop.createCustomer({ phone: '+84912345678' });
    const truth = shop.groundTruth().customers;
    expect(truth.map((c) => c.haravanId)).toEqual([a.id, b.id]);
    expect(new Set(truth.map((c) => c.phoneNormalized))).toEqual(new Set(['+84912345678']));
  });

  it('R8: an empty customer phone falls back to the default address phone', () => {
    const shop = createSimShop({ seed: 3 });
    const c = shop.createCustomer({
      phone: null,
      addresses: [{ phone: '0987000111' }, { phone: '0987000222', isDefault: true }],
    });
    expect(profile(shop, c.id)).toMatchObject({
      phone: '0987000222',
      phoneNormalized: '+84987000222',
      phoneFromDefaultAddress: true,
    });
  });

  it('R8: a customer phone that is no phone number falls back to the default address phone too', () => {
    const shop = createSimShop({ seed: 3 });
    const c = shop.createCustomer({
      phone: 'không có',
      addresses: [{ phone: '0987000222', isDefault: true }],
    });
    expect(profile(shop, c.id)).toMatchObject({
      phoneNormalized: '+84987000222',
      phoneFromDefaultAddress: true,
    });
  });

  it("R8: a placeholder no one's number can be (0000000000) falls back too, a sought-after one stays", () => {
    const shop = createSimShop({ seed: 3 });
    const withPhone = (phone: string) =>
      profile(shop, shop.createCustomer({ phone, addresses: [{ phone: '0987000222', isDefault: true }] }).id);
    for (const placeholder of ['0000000000', '0123456789'])
      expect(withPhone(placeholder)).toMatchObject({
        phoneNormalized: '+84987000222',
        phoneFromDefaultAddress: true,
      });
    expect(withPhone('0999999999')).toMatchObject({
      phoneNormalized: '+84999999999',
      phoneFromDefaultAddress: false,
    });
  });

  it('R9: all addresses are kept and the default follows edits', () => {
    const shop = createSimShop({ seed: 4 });
    const c = shop.createCustomer({ addresses: [{}, {}] });
    const second = c.addresses[1];
    if (!second) throw new Error('two addresses expected');
    shop.editCustomerAddress(c.id, second.id, { isDefault: true, address1: '1 Lê Lợi' });
    const addresses = profile(shop, c.id).addresses;
    expect(addresses.map((a) => a.isDefault)).toEqual([false, true]);
    expect(addresses[1]?.address1).toBe('1 Lê Lợi');
  });

  it('R12: a receiver is a separate contact keyed by normalised phone; the order stays on the buyer', () => {
    const { shop, buyer } = setup();
    const first = shop.createOrder({
      customerId: buyer,
      receiver: { firstName: 'Thị Lan', lastName: 'Trần', phone: '0909111222' },
      financialStatus: 'paid',
    });
    const second = shop.createOrder({
      customerId: buyer,
      receiver: { firstName: 'Lan', lastName: 'Trần Thị', phone: '+84909111222' },
    });
    const own = shop.createOrder({ customerId: buyer });
    const truth = shop.groundTruth();
    expect(truth.receivers).toEqual([
      expect.objectContaining({
        key: 'phone:+84909111222',
        isBuyer: false,
        orderIds: [second.id, first.id],
        buyerIds: [buyer],
      }),
    ]);
    expect(truth.orders.find((o) => o.haravanId === own.id)?.receiverKey).toBeNull();
    expect(profile(shop, buyer).totalOrders).toBe(3);
  });

  it('R12: a billing address without a phone leaves the names to decide, but the customer’s own phone marks the buyer', () => {
    const { shop, buyer } = setup();
    const noPhone = { phone: null };
    const selfElsewhere = shop.createOrder({
      customerId: buyer,
      billingAddress: noPhone,
      receiver: { firstName: 'Văn An', lastName: 'Nguyễn', phone: '0987654321' },
    });
    const ownPhone = shop.createOrder({
      customerId: buyer,
      billingAddress: noPhone,
      receiver: { firstName: 'An', lastName: 'Anh', phone: '0912345678' },
    });
    const someoneElse = shop.createOrder({
      customerId: buyer,
      billingAddress: noPhone,
      receiver: { firstName: 'Thị Lan', lastName: 'Trần', phone: null },
    });
    const truth = shop.groundTruth();
    const receiverOf = (id: number) => truth.orders.find((o) => o.haravanId === id)?.receiverKey;
    expect(receiverOf(selfElsewhere.id)).toBeNull();
    expect(receiverOf(ownPhone.id)).toBeNull();
    expect(receiverOf(someoneElse.id)).toBe('name:trần thị lan');
    expect(truth.receivers).toEqual([
      expect.objectContaining({
        key: 'name:trần thị lan',
        phoneNormalized: null,
        orderIds: [someoneElse.id],
      }),
    ]);
  });

  it('R12: the buyer’s own phone or name (diacritics or not) marks the buyer, whatever phone the billing address carries', () => {
    const { shop, buyer } = setup();
    // The billing address carries a relative's phone.
    const relative = { phone: '0903111222' };
    const ownPhone = shop.createOrder({
      customerId: buyer,
      billingAddress: relative,
      receiver: { firstName: 'An', lastName: 'Anh', phone: '0912345678' },
    });
    const ownName = shop.createOrder({
      customerId: buyer,
      billingAddress: relative,
      receiver: { firstName: 'Văn An', lastName: 'Nguyễn', phone: '0977123456' },
    });
    const ownNameTypedPlain = shop.createOrder({
      customerId: buyer,
      billingAddress: relative,
      receiver: { firstName: 'Van An', lastName: 'Nguyen', phone: '0977123456' },
    });
    const someoneElse = shop.createOrder({
      customerId: buyer,
      billingAddress: relative,
      receiver: { firstName: 'Thị Bình', lastName: 'Trần', phone: '0977123456' },
    });
    // Both written with diacritics, names that differ by one are two people.
    const brother = shop.createOrder({
      customerId: buyer,
      billingAddress: relative,
      receiver: { firstName: 'Văn Ấn', lastName: 'Nguyễn', phone: '0977000111' },
    });
    const truth = shop.groundTruth();
    const receiverOf = (id: number) => truth.orders.find((o) => o.haravanId === id)?.receiverKey;
    expect(receiverOf(ownPhone.id)).toBeNull();
    expect(receiverOf(ownName.id)).toBeNull();
    expect(receiverOf(ownNameTypedPlain.id)).toBeNull();
    expect(receiverOf(someoneElse.id)).toBe('phone:+84977123456');
    expect(receiverOf(brother.id)).toBe('phone:+84977000111');
  });

  it('R12: a name with its tone in either style is one person, as a receiver and as the buyer', () => {
    const { shop, buyer } = setup();
    const noPhone = { phone: null };
    const newStyle = shop.createOrder({
      customerId: buyer,
      receiver: { firstName: 'Thị Thuý', lastName: 'Lê', phone: null },
    });
    const oldStyle = shop.createOrder({
      customerId: buyer,
      receiver: { firstName: 'Thị Thúy', lastName: 'Lê', phone: null },
    });
    const quy = shop.createOrder({
      customerId: buyer,
      receiver: { firstName: 'Quý', lastName: 'Lê', phone: null },
    });
    const self = shop.createOrder({
      customerId: buyer,
      billingAddress: { ...noPhone, firstName: 'Thị Hoà', lastName: 'Phạm' },
      receiver: { firstName: 'Thị Hòa', lastName: 'Phạm', phone: null },
    });
    const truth = shop.groundTruth();
    const receiverOf = (id: number) => truth.orders.find((o) => o.haravanId === id)?.receiverKey;
    expect(receiverOf(newStyle.id)).toBe('name:lê thị thúy');
    expect(receiverOf(oldStyle.id)).toBe('name:lê thị thúy');
    expect(receiverOf(quy.id)).toBe('name:lê quý');
    expect(receiverOf(self.id)).toBeNull();
  });

  it('R12: a shipping address with neither a name nor a phone names no receiver', () => {
    const { shop, buyer } = setup();
    const o = shop.createOrder({
      customerId: buyer,
      receiver: { firstName: '', lastName: ' ', phone: null },
    });
    const truth = shop.groundTruth();
    expect(truth.orders.find((x) => x.haravanId === o.id)?.receiverKey).toBeNull();
    expect(truth.receivers).toEqual([]);
  });

  it('R15: order history is newest first and POS walk-ins belong to nobody', () => {
    const { shop, buyer } = setup();
    const a = order(shop, buyer);
    const walkIn = shop.createOrder({ customerId: null, financialStatus: 'paid', shippingAddress: null });
    const b = order(shop, buyer);
    expect(profile(shop, buyer).orderIds).toEqual([b.id, a.id]);
    expect(shop.groundTruth().walkInOrderIds).toEqual([walkIn.id]);
  });
});

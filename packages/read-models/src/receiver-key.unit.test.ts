import { describe, expect, it } from 'vitest';
import { type OrderSnapshot } from '@cdp/contracts';
import { sampleAddress, sampleOrder } from '@cdp/contracts/samples';
import { receiverKeyOf } from './order-doc';

const buyer = { customerId: '5001', name: 'Nguyễn Văn An', email: null, phone: '+84912345678' };
const home = { ...sampleAddress, name: 'Nguyễn Văn An', phone: '0912345678' };
const order = (patch: Partial<OrderSnapshot>): OrderSnapshot => ({
  ...sampleOrder,
  buyer,
  billingAddress: home,
  shippingAddress: home,
  ...patch,
});

describe('receivers (R12): the shipping address against the buyer as the order states them', () => {
  it('names no receiver when the order ships to the billing address', () => {
    expect(receiverKeyOf(order({}))).toBeNull();
  });

  it('keys a different person by the phone of the shipping address', () => {
    const other = { ...sampleAddress, name: 'Trần Thị Bình', phone: '0900000009' };
    expect(receiverKeyOf(order({ shippingAddress: other }))).toBe('phone:+84900000009');
  });

  it('keeps judging by the billing address after the customer changed their phone', () => {
    // Haravan embeds the customer as they are now: the new phone must not make the old address a receiver.
    const later = order({ buyer: { ...buyer, phone: '+84988888888' } });
    expect(receiverKeyOf(later)).toBeNull();
  });

  it("compares names, not today's phone of the customer, when the billing address has no phone", () => {
    // Haravan's own order example has a billing address without a phone.
    const later = order({
      billingAddress: { ...home, phone: null },
      buyer: { ...buyer, phone: '+84988888888' },
    });
    expect(receiverKeyOf(later)).toBeNull();
    const other = { ...sampleAddress, name: 'Trần Thị Bình', phone: '0900000009' };
    expect(receiverKeyOf({ ...later, shippingAddress: other })).toBe('phone:+84900000009');
    // Shipped to the customer's phone of today, under another name: still the buyer.
    const today = { ...home, name: 'Anh An', phone: '0988888888' };
    expect(receiverKeyOf({ ...later, shippingAddress: today })).toBeNull();
  });

  it("takes the customer's name for a billing address without one", () => {
    const unnamed = { ...home, name: null, firstName: null, lastName: null };
    expect(
      receiverKeyOf(order({ billingAddress: unnamed, shippingAddress: { ...home, phone: null } })),
    ).toBeNull();
  });

  it('judges by the embedded customer when the order has no billing address', () => {
    expect(receiverKeyOf(order({ billingAddress: null }))).toBeNull();
    const other = { ...sampleAddress, name: 'Trần Thị Bình', phone: '0900000009' };
    expect(receiverKeyOf(order({ billingAddress: null, shippingAddress: other }))).toBe('phone:+84900000009');
  });

  it('names no receiver for an old shipment under the name of a customer who changed their phone since', () => {
    // Haravan sends the order again with the customer of today: the old phone must not make a receiver.
    const changed = { ...buyer, phone: '+84988888888' };
    expect(receiverKeyOf(order({ billingAddress: null, buyer: changed }))).toBeNull();
    expect(
      receiverKeyOf(order({ billingAddress: { ...home, phone: '0903111222' }, buyer: changed })),
    ).toBeNull();
  });

  it("takes a parcel sent to the customer's own phone for theirs when the billing address has another", () => {
    // The billing (default) address carries a relative's phone; the parcel goes to the buyer's own.
    const billing = { ...home, phone: '0903111222' };
    expect(receiverKeyOf(order({ billingAddress: billing }))).toBeNull();
    expect(
      receiverKeyOf(order({ billingAddress: billing, shippingAddress: { ...home, name: 'Anh An' } })),
    ).toBeNull();
  });

  it("takes the buyer's name at another phone for the buyer", () => {
    const elsewhere = { ...home, phone: '0977123456' };
    expect(receiverKeyOf(order({ shippingAddress: elsewhere }))).toBeNull();
    // Also by the customer's name when the billing address is written otherwise.
    const short = { ...home, name: 'An' };
    expect(receiverKeyOf(order({ billingAddress: short, shippingAddress: elsewhere }))).toBeNull();
    expect(
      receiverKeyOf(
        order({ billingAddress: short, shippingAddress: { ...elsewhere, name: 'Trần Thị Bình' } }),
      ),
    ).toBe('phone:+84977123456');
  });

  it("takes the buyer's name typed without diacritics, at another phone, for the buyer", () => {
    for (const name of ['Nguyen Van An', 'NGUYEN VAN AN'])
      expect(receiverKeyOf(order({ shippingAddress: { ...home, name, phone: '0977123456' } }))).toBeNull();
    // Names both written with diacritics differ by them: a father Hùng, a son Hưng.
    const hung = { ...buyer, name: 'Nguyễn Văn Hùng' };
    expect(
      receiverKeyOf(
        order({
          buyer: hung,
          billingAddress: { ...home, name: 'Nguyễn Văn Hùng' },
          shippingAddress: { ...home, name: 'Nguyễn Văn Hưng', phone: '0903111222' },
        }),
      ),
    ).toBe('phone:+84903111222');
    // Another name without diacritics is still someone else.
    expect(
      receiverKeyOf(order({ shippingAddress: { ...home, name: 'Tran Thi Binh', phone: '0977123456' } })),
    ).toBe('phone:+84977123456');
  });

  it('compares names when a side has no phone, and names no receiver for a walk-in', () => {
    const noPhone = { ...home, phone: null };
    expect(receiverKeyOf(order({ shippingAddress: noPhone }))).toBeNull();
    expect(receiverKeyOf(order({ shippingAddress: { ...noPhone, name: 'Lê Văn Cường' } }))).toBe(
      'name:lê văn cường',
    );
    expect(
      receiverKeyOf(order({ buyer: null, shippingAddress: { ...home, phone: '0900000009' } })),
    ).toBeNull();
  });

  it('takes no placeholder phone or name for a person, so walk-ins are not merged into one contact', () => {
    const placeholder = { ...sampleAddress, name: 'Khách lẻ', phone: '0000000000' };
    expect(receiverKeyOf(order({ shippingAddress: placeholder }))).toBeNull();
    // A real name beside a placeholder phone is still someone else, known by that name.
    expect(receiverKeyOf(order({ shippingAddress: { ...placeholder, name: 'Lê Văn Cường' } }))).toBe(
      'name:lê văn cường',
    );
    expect(
      receiverKeyOf(order({ shippingAddress: { ...home, phone: '0123456789', name: 'khach le' } })),
    ).toBeNull();
    // A placeholder buyer ("Khách lẻ" with 0000000000, as some shops keep for walk-ins) matches no one.
    const walkIns = { ...buyer, name: 'Khách lẻ', phone: '+84000000000' };
    expect(
      receiverKeyOf(order({ buyer: walkIns, billingAddress: placeholder, shippingAddress: placeholder })),
    ).toBeNull();
    expect(
      receiverKeyOf(
        order({
          buyer: walkIns,
          billingAddress: placeholder,
          shippingAddress: { ...placeholder, phone: '0900000009' },
        }),
      ),
    ).toBe('phone:+84900000009');
  });

  it('takes a name with its tones in either style, or with invisible characters, for the same person', () => {
    const billing = { ...home, name: 'Nguyễn Thị Thúy', phone: null };
    const thuy = { ...buyer, name: 'Nguyễn Thị Thúy' };
    for (const name of ['Nguyễn Thị Thuý', 'Nguyễn\u200b Thị Thúy'])
      expect(
        receiverKeyOf(order({ buyer: thuy, billingAddress: billing, shippingAddress: { ...billing, name } })),
      ).toBeNull();
    // Someone else keyed by name is one receiver whichever style the order used.
    const keys = ['Lê Thị Hoà', 'Lê Thị Hòa'].map((name) =>
      receiverKeyOf(order({ shippingAddress: { ...sampleAddress, name, phone: null } })),
    );
    expect(keys).toEqual(['name:lê thị hòa', 'name:lê thị hòa']);
  });

  it('takes the usual walk-in names, however spelled, as no name', () => {
    for (const name of [
      'Khách vãng lai',
      'KHACH-LE.',
      'kvl',
      'Khách hàng lẻ',
      'null',
      'Không tên',
      '...',
      'N/A',
    ])
      expect(
        receiverKeyOf(order({ shippingAddress: { ...sampleAddress, name, phone: '0000000000' } })),
      ).toBeNull();
  });
});

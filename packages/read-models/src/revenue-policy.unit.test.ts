import { describe, expect, it } from 'vitest';
import { type OrderSnapshot } from '@cdp/contracts';
import { sampleOrder } from '@cdp/contracts/samples';
import { contributionOf } from './revenue-policy';

const order = (patch: Partial<OrderSnapshot>): OrderSnapshot => ({ ...sampleOrder, ...patch });

describe('revenue contribution of one order', () => {
  it('R17: a new order counts once, whatever its payment status', () => {
    expect(contributionOf(order({ financialStatus: 'pending' }), false)).toEqual({
      revenue: '0',
      countsAsOrder: true,
    });
  });

  it('R18: a paid order adds its total price', () => {
    expect(contributionOf(order({ financialStatus: 'paid', totalPrice: '13230000' }), false).revenue).toBe(
      '13230000',
    );
  });

  it('R19: a cancelled order adds neither revenue nor an order, even after payment', () => {
    expect(contributionOf(order({ financialStatus: 'paid', cancelled: true }), false)).toEqual({
      revenue: '0',
      countsAsOrder: false,
    });
  });

  it('R20: partially refunded counts total minus shipping, refunds not subtracted by default', () => {
    const partial = order({
      financialStatus: 'partially_refunded',
      totalPrice: '13230000',
      totalShipping: '30000',
      totalRefunded: '500000',
    });
    expect(contributionOf(partial, false).revenue).toBe('13200000');
    expect(contributionOf(partial, false, 'net-of-refunds').revenue).toBe('12700000');
  });

  it('R20: never takes revenue away, when the shipping lines are more than the total keeps', () => {
    // A discount of another type can take the total below the shipping lines' price.
    const discounted = order({
      financialStatus: 'partially_refunded',
      totalPrice: '20000',
      totalShipping: '30000',
      totalRefunded: '5000',
    });
    expect(contributionOf(discounted, false)).toEqual({ revenue: '0', countsAsOrder: true });
    expect(contributionOf(discounted, false, 'net-of-refunds').revenue).toBe('0');
  });

  it('R20: takes off the shipping the buyer paid, not the shipping a free-shipping code took off', () => {
    const freeShipping = order({
      financialStatus: 'partially_refunded',
      totalPrice: '500000',
      totalShipping: '30000',
      totalRefunded: '100000',
      discountCodes: [
        { code: 'FREESHIP', amount: '30000', type: 'shipping' },
        { code: 'TET', amount: '20000', type: 'fixed_amount' },
      ],
    });
    expect(contributionOf(freeShipping, false).revenue).toBe('500000');
    expect(contributionOf(freeShipping, false, 'net-of-refunds').revenue).toBe('400000');
    // Part of the shipping discounted: the rest was paid, and is taken off.
    const half = { ...freeShipping, discountCodes: [{ code: 'SHIP15', amount: '15000', type: 'Shipping' }] };
    expect(contributionOf(half, false).revenue).toBe('485000');
  });

  it('R18: a paid order never takes revenue away, whatever total it states', () => {
    expect(contributionOf(order({ financialStatus: 'paid', totalPrice: '-500000' }), false).revenue).toBe(
      '0',
    );
  });

  it.each(['pending', 'authorized', 'partially_paid', 'voided', 'refunded'] as const)(
    'R21: %s adds no revenue',
    (status) => {
      expect(contributionOf(order({ financialStatus: status }), false).revenue).toBe('0');
    },
  );

  it('a deleted order no longer counts', () => {
    expect(contributionOf(order({}), true)).toEqual({ revenue: '0', countsAsOrder: false });
  });
});

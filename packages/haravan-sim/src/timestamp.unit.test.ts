import { describe, expect, it } from 'vitest';
import { createSimShop } from './sim-shop.js';

describe('Haravan timestamps of a record', () => {
  it('are later with each change, however few fractional digits each is printed with', () => {
    // Changes 5 ms apart: a time printed to the second alone would often fall on the one before.
    const shop = createSimShop({ seed: 7, stepMs: 5 });
    const customer = shop.createCustomer({ firstName: 'An' });
    const order = shop.createOrder({ customerId: customer.id });
    const customerTimes = [customer.updatedAt.text];
    const orderTimes = [order.updatedAt.text];
    for (let i = 0; i < 200; i++) {
      shop.updateCustomer(customer.id, { note: `note ${i}` });
      customerTimes.push(customer.updatedAt.text);
      shop.updateOrder(order.id, { note: `note ${i}` });
      orderTimes.push(order.updatedAt.text);
    }
    for (const times of [customerTimes, orderTimes]) {
      const instants = times.map((t) => Date.parse(t));
      expect(instants.every((t, i) => i === 0 || t > (instants[i - 1] as number))).toBe(true);
      // Still printed as Haravan does, with 0 to 3 fractional digits.
      expect(new Set(times.map((t) => t.replace(/^[^.Z]*/, '').length)).size).toBeGreaterThan(1);
    }
  });
});

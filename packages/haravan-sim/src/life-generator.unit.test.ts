import { describe, expect, it } from 'vitest';
import { MIN_FOR_EVERY_CASE, type LifeCase } from './life-generator.js';
import { ORDER_SCENARIOS } from './order-scenarios.js';
import { createSimShop } from './sim-shop.js';

const sizes = { customers: 30, orders: 200, products: 10 };

describe('generated shop life', () => {
  it('is identical for the same seed: changes, payloads and ground truth', () => {
    const a = createSimShop({ seed: 42 });
    const b = createSimShop({ seed: 42 });
    a.generate(sizes);
    b.generate(sizes);
    expect(b.changes()).toEqual(a.changes());
    expect(b.groundTruth()).toEqual(a.groundTruth());
    const firstOrder = a.records('orders')[0]?.id ?? 0;
    expect(b.payload('orders', firstOrder)).toEqual(a.payload('orders', firstOrder));
  });

  it('differs for another seed', () => {
    const a = createSimShop({ seed: 1 });
    const b = createSimShop({ seed: 2 });
    a.generate(sizes);
    b.generate(sizes);
    expect(b.groundTruth()).not.toEqual(a.groundTruth());
  });

  it('contains every case of the sync rules at the minimum size', () => {
    const shop = createSimShop({ seed: 5 });
    const summary = shop.generate(MIN_FOR_EVERY_CASE);
    const expected: LifeCase[] = [
      ...ORDER_SCENARIOS,
      'receiver-differs',
      'receiver-reused',
      'pos-walk-in',
      'shared-phone',
      'phone-only-on-default-address',
      'address-edited',
      'customer-deleted',
      'product-deleted',
    ];
    for (const kind of expected) expect(summary.cases[kind]?.count ?? 0, kind).toBeGreaterThan(0);
    expect(shop.groundTruth().receivers.some((r) => r.orderIds.length >= 2)).toBe(true);
  });

  it('records several changes to one order within the same second', () => {
    const shop = createSimShop({ seed: 6 });
    const summary = shop.generate(MIN_FOR_EVERY_CASE);
    const rapid = summary.cases['rapid-changes']?.examples[0];
    const times = shop
      .changes()
      .filter((c) => c.resource === 'orders' && c.resourceId === rapid && c.topic !== 'orders/create')
      .map((c) => c.updatedAt.slice(0, 19));
    expect(times.length).toBeGreaterThanOrEqual(4);
    expect(new Set(times).size).toBe(1);
  });

  it('keeps updated_at monotonic per resource and Haravan-formatted', () => {
    const shop = createSimShop({ seed: 9 });
    shop.generate(sizes);
    const last = new Map<string, number>();
    for (const c of shop.changes()) {
      expect(c.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/);
      const key = `${c.resource}:${c.resourceId}`;
      const ms = Date.parse(c.updatedAt);
      expect(ms).toBeGreaterThanOrEqual(last.get(key) ?? 0);
      last.set(key, ms);
    }
  });
});

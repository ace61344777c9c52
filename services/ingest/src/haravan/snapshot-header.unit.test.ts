import { describe, expect, it } from 'vitest';
import { createSimShop } from '@cdp/haravan-sim';
import { haravanCustomer, haravanOrder } from './haravan-payloads.fixture';
import { normalizeCustomer } from './normalize-customer';
import { normalizeOrder } from './normalize-order';
import { normalizeProduct } from './normalize-product';
import { topicShape } from './snapshot-header';
import { classifyTopic, type TopicMeaning } from './topic-catalog';

const kind = (topic: string) => classifyTopic(topic) as TopicMeaning;

const bodies: unknown[] = [
  haravanOrder,
  { order: haravanOrder },
  haravanCustomer,
  { ...haravanOrder, id: 'abc' },
  { ...haravanOrder, updated_at: 'yesterday' },
  { ...haravanCustomer, created_at: null },
  { customer: haravanCustomer },
  { id: 7, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-02T00:00:00Z' },
  { id: 7, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-02T00:00:00Z', variants: [] },
  { id: 7 },
  [1, 2],
  'text',
  null,
];

describe('whether a webhook body is the shape of its topic', () => {
  it('agrees with the normaliser the decider uses, for every resource', () => {
    for (const body of bodies) {
      expect(topicShape(kind('orders/updated'), body).ok).toBe(normalizeOrder(body).ok);
      expect(topicShape(kind('customers/update'), body).ok).toBe(normalizeCustomer(body).ok);
      expect(topicShape(kind('products/update'), body).ok).toBe(normalizeProduct(body).ok);
    }
  });

  it('asks only for the id of a deletion', () => {
    expect(topicShape(kind('products/deleted'), { id: 42 })).toEqual({ ok: true, value: '42' });
    expect(topicShape(kind('customers/delete'), { name: 'x' }).ok).toBe(false);
  });

  it('refuses a body of another resource kind, by the fields only that kind has', () => {
    const order = { ...haravanOrder, id: 100001, order_number: '#100001' };
    const asCustomer = topicShape(kind('customers/update'), order);
    expect(!asCustomer.ok && asCustomer.error.message).toBe(
      "customer 100001 carries an order's fields (order_number, line_items, financial_status)",
    );
    expect(topicShape(kind('orders/updated'), haravanCustomer).ok).toBe(false);
    expect(topicShape(kind('products/update'), haravanCustomer).ok).toBe(false);
    // A customer's summary of its orders, and the customer embedded in an order, tell no other kind.
    expect(topicShape(kind('customers/update'), haravanCustomer).ok).toBe(true);
    expect(topicShape(kind('orders/create'), order).ok).toBe(true);
  });

  it("takes every body the simulated shop sends under its own topic, and none under another kind's", () => {
    const shop = createSimShop({ seed: 7 });
    const sent: { topic: string; body: unknown }[] = [];
    shop.subscribe(({ change, body }) => sent.push({ topic: change.topic, body: JSON.parse(body) }));
    shop.generate({ customers: 10, orders: 40, products: 4 });
    const changes = ['orders/updated', 'customers/update', 'products/update'].map(kind);

    for (const { topic, body } of sent) {
      const own = kind(topic);
      expect(topicShape(own, body).ok, topic).toBe(true);
      if (own.deletion) continue;
      for (const other of changes.filter((c) => c.resource !== own.resource))
        expect(topicShape(other, body).ok, `${topic} as ${other.resource}`).toBe(false);
    }
    expect(new Set(sent.map((s) => kind(s.topic).resource))).toEqual(
      new Set(['order', 'customer', 'product']),
    );
  });

  it('says what is missing', () => {
    const shape = topicShape(kind('orders/create'), { id: 1002 });
    expect(!shape.ok && shape.error.message).toBe('order 1002 has no valid created_at/updated_at');
  });
});

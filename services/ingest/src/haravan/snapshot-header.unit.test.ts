import { describe, expect, it } from 'vitest';
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
  { id: 7, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-02T00:00:00Z' },
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

  it('says what is missing', () => {
    const shape = topicShape(kind('orders/create'), { id: 1002 });
    expect(!shape.ok && shape.error.message).toBe('order 1002 has no valid created_at/updated_at');
  });
});

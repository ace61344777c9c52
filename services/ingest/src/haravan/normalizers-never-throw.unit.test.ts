import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { haravanCustomer, haravanOrder } from './haravan-payloads.fixture';
import { normalizeCustomer } from './normalize-customer';
import { normalizeOrder, orderEmbeddedCustomer } from './normalize-order';
import { normalizeProduct } from './normalize-product';
import { resourceIdOf } from './resource-id';

const normalizers = [
  normalizeOrder,
  normalizeCustomer,
  normalizeProduct,
  orderEmbeddedCustomer,
  resourceIdOf,
];

describe('normalisers on arbitrary input', () => {
  it('given any JSON value, when normalised, then a value is returned and nothing throws', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (payload) => {
        for (const normalize of normalizers) expect(() => normalize(payload)).not.toThrow();
      }),
    );
  });

  it('given a real payload with one field replaced by anything, when normalised, then nothing throws', () => {
    const keys = [...new Set([...Object.keys(haravanOrder), ...Object.keys(haravanCustomer)])];
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.anything(), (key, value) => {
        for (const base of [haravanOrder, haravanCustomer]) {
          const payload = { ...base, [key]: value };
          for (const normalize of normalizers) expect(() => normalize(payload)).not.toThrow();
        }
      }),
    );
  });
});

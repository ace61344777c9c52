import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBloomFilter } from './bloom-filter';

describe('bloom filter', () => {
  it('never denies a key that was added', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { maxLength: 200 }), (keys) => {
        const filter = createBloomFilter(12);
        keys.forEach((k) => filter.add(k));
        expect(keys.every((k) => filter.mightHave(k))).toBe(true);
      }),
    );
  });

  it('denies almost every key that was not added', () => {
    const filter = createBloomFilter();
    for (let i = 0; i < 100_000; i++) filter.add(`tenant:order-${i}`);
    let wrong = 0;
    for (let i = 100_000; i < 200_000; i++) if (filter.mightHave(`tenant:order-${i}`)) wrong++;
    expect(wrong).toBeLessThan(100);
  });
});

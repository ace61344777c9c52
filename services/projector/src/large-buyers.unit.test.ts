import { describe, expect, it } from 'vitest';
import { createLargeBuyers } from './large-buyers';

const recording = () => {
  const lines: unknown[] = [];
  return { lines, log: { warn: (fields: unknown) => void lines.push(fields) } };
};

describe('the large buyers watch', () => {
  it('warns of a buyer at the threshold, once an hour per buyer', () => {
    let now = 0;
    const { lines, log } = recording();
    const buyers = createLargeBuyers(log, { warnAt: 100, now: () => now });
    buyers.seen('shop-a', '7', 99);
    expect(lines).toEqual([]);
    buyers.seen('shop-a', '7', 100);
    buyers.seen('shop-a', '7', 101);
    buyers.seen('shop-b', '7', 150);
    expect(lines).toEqual([
      { tenantId: 'shop-a', buyerId: '7', orders: 100 },
      { tenantId: 'shop-b', buyerId: '7', orders: 150 },
    ]);
    now = 60 * 60_000;
    buyers.seen('shop-a', '7', 102);
    expect(lines).toHaveLength(3);
  });

  it('keeps the most orders seen on one buyer', () => {
    const buyers = createLargeBuyers(recording().log, { warnAt: 100 });
    expect(buyers.largest()).toBe(0);
    buyers.seen('shop-a', '1', 40);
    buyers.seen('shop-a', '2', 12);
    expect(buyers.largest()).toBe(40);
  });
});

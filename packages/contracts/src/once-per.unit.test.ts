import { describe, expect, it } from 'vitest';
import { oncePer } from './once-per';

describe('once per interval and key', () => {
  it('says yes to a key once per interval, to each key apart', () => {
    let now = 0;
    const worth = oncePer(60_000, () => now);
    expect(worth('shop-a')).toBe(true);
    expect(worth('shop-a')).toBe(false);
    expect(worth('shop-b')).toBe(true);
    now = 59_999;
    expect(worth('shop-a')).toBe(false);
    now = 60_000;
    expect(worth('shop-a')).toBe(true);
  });
});

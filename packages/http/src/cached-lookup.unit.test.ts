import { describe, expect, it } from 'vitest';
import { cachedLookup } from './cached-lookup';

describe('a cached lookup', () => {
  it('shares one lookup among the requests that ask at once, and reuses it within the ttl', async () => {
    let loads = 0;
    const lookup = cachedLookup(async (key) => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return key.toUpperCase();
    }, 60_000);
    expect(await Promise.all([lookup('a'), lookup('a'), lookup('a')])).toEqual(['A', 'A', 'A']);
    expect(await lookup('a')).toBe('A');
    expect(loads).toBe(1);
  });

  it('looks up again once the ttl has passed', async () => {
    let loads = 0;
    const lookup = cachedLookup(() => Promise.resolve(++loads), 0);
    await lookup('a');
    await new Promise((resolve) => setTimeout(resolve, 2));
    expect(await lookup('a')).toBe(2);
  });

  it('forgets a failed lookup, so the next request tries again', async () => {
    let fail = true;
    const lookup = cachedLookup(
      () => (fail ? Promise.reject(new Error('store down')) : Promise.resolve('ok')),
      60_000,
    );
    await expect(lookup('a')).rejects.toThrow('store down');
    fail = false;
    expect(await lookup('a')).toBe('ok');
  });
});

import { describe, expect, it } from 'vitest';
import { createLeakyBucket } from './leaky-bucket.js';

describe('leaky bucket rate limit', () => {
  it('fills up to capacity, then refuses with a retry-after', () => {
    const now = 0;
    const bucket = createLeakyBucket({ capacity: 80, drainPerSecond: 4, now: () => now });
    for (let i = 1; i <= 80; i++) expect(bucket.take()).toEqual({ allowed: true, used: i, capacity: 80 });
    expect(bucket.take()).toEqual({ allowed: false, used: 80, capacity: 80, retryAfterSeconds: 0.3 });
  });

  it('drains at the configured rate, freeing one call per 1/rate seconds', () => {
    let now = 0;
    const bucket = createLeakyBucket({ capacity: 4, drainPerSecond: 2, now: () => now });
    for (let i = 0; i < 4; i++) bucket.take();
    expect(bucket.take().allowed).toBe(false);
    now += 499;
    expect(bucket.take().allowed).toBe(false);
    now += 1;
    expect(bucket.take()).toMatchObject({ allowed: true, used: 4 });
    now += 10_000;
    expect(bucket.used()).toBe(0);
  });

  it('refused calls do not fill the bucket further', () => {
    let now = 0;
    const bucket = createLeakyBucket({ capacity: 1, drainPerSecond: 1, now: () => now });
    bucket.take();
    for (let i = 0; i < 5; i++) expect(bucket.take().allowed).toBe(false);
    now += 1000;
    expect(bucket.take().allowed).toBe(true);
  });
});

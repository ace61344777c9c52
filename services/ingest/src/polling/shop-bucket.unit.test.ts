import { describe, expect, it } from 'vitest';
import { bucketWaitMs, createShopBucket } from './shop-bucket';

const haravan = { capacity: 80, drainPerSecond: 4, reserve: 0 };

describe('bucketWaitMs', () => {
  it('lets calls through while there is room', () => {
    expect(bucketWaitMs(0, haravan)).toBe(0);
    expect(bucketWaitMs(79, haravan)).toBe(0);
  });
  it('waits for one slot to drain when full', () => {
    expect(bucketWaitMs(80, haravan)).toBe(250);
    expect(bucketWaitMs(81, haravan)).toBe(500);
  });
  it('keeps the reserve free', () => {
    expect(bucketWaitMs(69, { ...haravan, reserve: 10 })).toBe(0);
    expect(bucketWaitMs(70, { ...haravan, reserve: 10 })).toBe(250);
  });
});

describe('createShopBucket', () => {
  it('paces a burst at the drain rate once the bucket is full', async () => {
    let t = 0;
    const bucket = createShopBucket({ capacity: 3, drainPerSecond: 1000, reserve: 0, now: () => t });
    for (let i = 0; i < 3; i++) await bucket.acquire();
    expect(bucket.level()).toBe(3);
    t = 1; // one slot drained
    await bucket.acquire();
    expect(bucket.level()).toBeCloseTo(3);
  });
  it('neither fills nor blocks when the clock is set back, and drains on from there', async () => {
    let t = 1_000_000;
    const bucket = createShopBucket({ ...haravan, now: () => t });
    bucket.observe(40);
    t -= 600_000; // NTP steps back a host that ran ten minutes ahead
    expect(bucket.level()).toBe(40);
    await bucket.acquire();
    expect(bucket.level()).toBe(41);
    t += 5_000;
    expect(bucket.level()).toBe(21);
  });
  it('resyncs upwards from the header and drains over time', () => {
    let t = 0;
    const bucket = createShopBucket({ ...haravan, now: () => t });
    bucket.observe(40);
    expect(bucket.level()).toBe(40);
    bucket.observe(10); // our estimate is the safer one
    expect(bucket.level()).toBe(40);
    t = 5000;
    expect(bucket.level()).toBe(20);
  });
  it('fills up on a 429', () => {
    const bucket = createShopBucket({ ...haravan, now: () => 0 });
    bucket.throttled(2000);
    expect(bucket.level()).toBe(80);
    expect(bucketWaitMs(bucket.level(), haravan)).toBe(250);
  });
  it('lets a push use half the reserve that polls leave free', async () => {
    const shop = { ...haravan, reserve: 10 };
    const bucket = createShopBucket({ ...shop, now: () => 0 });
    bucket.observe(shop.capacity - shop.reserve); // polls must wait now
    expect(bucketWaitMs(bucket.level(), shop)).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) await bucket.acquire(undefined, 'push');
    expect(bucket.level()).toBe(75);
    expect(bucketWaitMs(bucket.level(), { ...shop, reserve: 5 })).toBeGreaterThan(0);
  });
});

describe('callers sharing a full bucket', () => {
  it('get their calls in the order they asked, so one busy caller cannot starve the others', async () => {
    const bucket = createShopBucket({ capacity: 1, drainPerSecond: 200, reserve: 0, now: () => Date.now() });
    const granted: string[] = [];
    // Each caller asks again as soon as it got a call, as a polling loop does.
    const caller = async (name: string) => {
      for (let i = 0; i < 3; i++) {
        await bucket.acquire();
        granted.push(name);
      }
    };
    await Promise.all(['orders', 'customers', 'products'].map(caller));

    expect(granted).toEqual([
      ...['orders', 'customers', 'products'],
      ...['orders', 'customers', 'products'],
      ...['orders', 'customers', 'products'],
    ]);
  });
});

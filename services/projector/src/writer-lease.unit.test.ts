import { describe, expect, it } from 'vitest';
import { createLogger } from '@cdp/logging';
import type { Lease } from '@cdp/mongo';
import { holdLease } from './writer-lease';

describe('holding the writer lease', () => {
  it('gives back a lease taken as the stop came, so another process need not wait out its ttl', async () => {
    const stop = new AbortController();
    const released: string[] = [];
    const lease = {
      holder: 'me',
      ttlMs: 30_000,
      acquire: () => {
        // The store answers after the process was told to stop.
        stop.abort();
        return Promise.resolve(Date.now() + 30_000);
      },
      release: (key: string) => {
        released.push(key);
        return Promise.resolve();
      },
      current: () => Promise.resolve(null),
    } as unknown as Lease;

    const held = await holdLease(lease, 'live', {
      log: createLogger('test', 'silent'),
      onLost: () => undefined,
      signal: stop.signal,
    });
    expect(held).toBeNull();
    expect(released).toEqual(['live']);
  });
});

import { describe, expect, it } from 'vitest';
import { keepsPolling, pollingByOf } from './polling-lease';

const TTL = 30_000;
const PERIOD = TTL / 3;

describe('who polls a tenant', () => {
  const lease = (holder: string, expiresAt: number) => ({ _id: 't', holder, expiresAt });

  it('is the holder of an unexpired lease', () => {
    expect(pollingByOf(lease('me', 2000), 'me', 1000)).toBe('this-instance');
    expect(pollingByOf(lease('other', 2000), 'me', 1000)).toBe('another-instance');
  });
  it('is nobody without a lease, after it expired or after it was released', () => {
    expect(pollingByOf(null, 'me', 1000)).toBe('nobody');
    expect(pollingByOf(lease('other', 999), 'me', 1000)).toBe('nobody');
    expect(pollingByOf(lease('me', 0), 'me', 1000)).toBe('nobody');
  });
});

describe('whether an instance goes on polling after a renewal attempt', () => {
  it('does when it renewed the lease, and stops when another instance holds it', () => {
    expect(keepsPolling(1000 + TTL, 1000 + TTL, 1000, PERIOD)).toBe(true);
    expect(keepsPolling(null, 1000 + TTL, 1000, PERIOD)).toBe(false);
  });
  it('rides out a store outage while its lease cannot lapse before the next attempt', () => {
    const heldUntil = TTL;
    expect(keepsPolling(undefined, heldUntil, PERIOD, PERIOD)).toBe(true);
    expect(keepsPolling(undefined, heldUntil, 2 * PERIOD, PERIOD)).toBe(false);
    expect(keepsPolling(undefined, heldUntil, TTL + 1, PERIOD)).toBe(false);
  });
  it('never starts on an outage without having held the lease', () => {
    expect(keepsPolling(undefined, 0, 1000, PERIOD)).toBe(false);
  });
});

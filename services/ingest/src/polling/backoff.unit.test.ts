import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfterMs } from './backoff';

const policy = { baseMs: 500, maxMs: 8000 };

describe('backoffDelayMs', () => {
  it('doubles the ceiling per attempt up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelayMs(n, policy, () => 1))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
  });
  it('jitters within [0, ceiling]', () => {
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(1000);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads decimal seconds', () => {
    expect(parseRetryAfterMs('2.0', now)).toBe(2000);
    expect(parseRetryAfterMs('0.3', now)).toBe(300);
    expect(parseRetryAfterMs('5', now)).toBe(5000);
    expect(parseRetryAfterMs('.5', now)).toBe(500);
    expect(parseRetryAfterMs('2.', now)).toBe(2000);
  });
  it('reads an HTTP date', () => {
    expect(parseRetryAfterMs('Wed, 01 Jan 2025 00:00:03 GMT', now)).toBe(3000);
  });
  it('gives null for nothing usable', () => {
    expect(parseRetryAfterMs(null, now)).toBeNull();
    expect(parseRetryAfterMs('soon', now)).toBeNull();
    // Not dates in the year 2001 (0 ms).
    expect(parseRetryAfterMs('-1', now)).toBeNull();
    expect(parseRetryAfterMs('1,5', now)).toBeNull();
    expect(parseRetryAfterMs('-1 GMT', now)).toBeNull();
    expect(parseRetryAfterMs('May 5', now)).toBeNull();
  });
});

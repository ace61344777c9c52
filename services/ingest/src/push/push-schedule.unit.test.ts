import { describe, expect, it } from 'vitest';
import { backoffCeilingMs } from '../polling/backoff';
import { DEFAULT_PUSH_RETRY } from './push-schedule';

describe('the wait before a push is sent again', () => {
  it('doubles from the first delay and stops at the cap', () => {
    const retry = { attempts: 10, baseMs: 1_000, maxMs: 5_000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffCeilingMs(n, retry))).toEqual([
      1_000, 2_000, 4_000, 5_000, 5_000,
    ]);
  });

  it('spreads the default sends over about twenty minutes', () => {
    const waits = Array.from({ length: DEFAULT_PUSH_RETRY.attempts - 1 }, (_, i) =>
      backoffCeilingMs(i + 1, DEFAULT_PUSH_RETRY),
    );
    const total = waits.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(15 * 60_000);
    expect(total).toBeLessThan(25 * 60_000);
  });
});

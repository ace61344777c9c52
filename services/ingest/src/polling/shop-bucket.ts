import { oneAtATime } from '@cdp/contracts';
import { sleep } from './sleep';
import { steadyClock } from './steady-clock';

export interface BucketOptions {
  /** Haravan's bucket size per shop (80). */
  capacity: number;
  /** Haravan's drain rate per shop (4/s). */
  drainPerSecond: number;
  /** Slots left free for other callers on the shop (the merchant's other apps, our pushes). */
  reserve: number;
  /** The wall clock; the bucket reads it through `steadyClock`, so setting it back blocks nothing. */
  now: () => number;
}

/** Milliseconds until one more call fits under `capacity - reserve`, given the bucket's level now. */
export function bucketWaitMs(level: number, options: Omit<BucketOptions, 'now'>): number {
  const ceiling = Math.max(1, options.capacity - options.reserve);
  const excess = level + 1 - ceiling;
  return excess <= 1e-9 ? 0 : Math.ceil((excess / options.drainPerSecond) * 1000);
}

/** Pushes answer a CDP service waiting on them, so they may use half the reserve polls leave free. */
export type CallPriority = 'poll' | 'push';

export interface ShopBucket {
  /** Resolves when a call may be made and counts it; resolves early (without counting) on abort. */
  acquire(signal?: AbortSignal, priority?: CallPriority): Promise<void>;
  /** Resync with the shop's own count from `X-Haravan-Api-Call-Limit`. */
  observe(used: number): void;
  /** A 429: the shop's bucket is full; nobody calls again before `retryAfterMs`. */
  throttled(retryAfterMs: number): void;
  level(): number;
}

/**
 * A client-side mirror of Haravan's per-shop leaky bucket, shared by everything that calls one
 * shop, so calls are paced instead of bounced with 429s. Callers of one priority get calls in the
 * order they asked: a walk that calls as fast as it may (a narrowing one) cannot starve the orders.
 */
export function createShopBucket(options: BucketOptions): ShopBucket {
  const now = steadyClock(options.now);
  let level = 0;
  let last = now();
  let blockedUntil = 0;
  const turns = { poll: oneAtATime(), push: oneAtATime() };
  const drain = () => {
    const t = now();
    level = Math.max(0, level - ((t - last) / 1000) * options.drainPerSecond);
    last = t;
  };
  async function slot(signal: AbortSignal | undefined, priority: CallPriority): Promise<void> {
    const limits = priority === 'push' ? { ...options, reserve: Math.floor(options.reserve / 2) } : options;
    for (;;) {
      if (signal?.aborted) return;
      drain();
      const wait = Math.max(blockedUntil - now(), bucketWaitMs(level, limits));
      if (wait <= 0) {
        level += 1;
        return;
      }
      await sleep(wait, signal);
    }
  }
  return {
    acquire: (signal, priority = 'poll') => turns[priority](() => slot(signal, priority)),
    observe(used) {
      drain();
      // Other callers on the shop count too; our own estimate only ever errs on the safe side.
      level = Math.max(level, used);
    },
    throttled(retryAfterMs) {
      drain();
      level = Math.max(level, options.capacity);
      blockedUntil = Math.max(blockedUntil, now() + retryAfterMs);
    },
    level() {
      drain();
      return level;
    },
  };
}

/** Haravan's per-shop limit: a bucket of `capacity` calls leaking `drainPerSecond`; overflow is refused. */
export interface LeakyBucketOptions {
  capacity: number;
  drainPerSecond: number;
  /** Milliseconds; injected so tests control time. */
  now: () => number;
}

export type BucketDecision =
  | { allowed: true; used: number; capacity: number }
  | { allowed: false; used: number; capacity: number; retryAfterSeconds: number };

export interface LeakyBucket {
  take(): BucketDecision;
  /** Calls currently in the bucket, rounded up, as the usage header shows it. */
  used(): number;
}

export function createLeakyBucket(options: LeakyBucketOptions): LeakyBucket {
  const { capacity, drainPerSecond, now } = options;
  let level = 0;
  let last = now();
  const drain = () => {
    const t = now();
    level = Math.max(0, level - ((t - last) / 1000) * drainPerSecond);
    last = t;
  };
  // Float drift must not leave a phantom call in the bucket.
  const shown = () => Math.max(0, Math.ceil(level - 1e-9));
  return {
    take() {
      drain();
      if (level + 1 > capacity + 1e-9) {
        const retryAfterSeconds = Math.ceil(((level + 1 - capacity) / drainPerSecond) * 10) / 10;
        return { allowed: false, used: capacity, capacity, retryAfterSeconds };
      }
      level += 1;
      return { allowed: true, used: shown(), capacity };
    },
    used() {
      drain();
      return shown();
    },
  };
}

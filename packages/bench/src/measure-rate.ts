export interface Rate {
  count: number;
  seconds: number;
  perSecond: number;
}

export const rateOf = (count: number, seconds: number): Rate => ({
  count,
  seconds,
  perSecond: seconds > 0 ? count / seconds : 0,
});

/** Runs `fn`, which returns how many units it processed, and times it on the monotonic clock. */
export async function measureRate(fn: () => Promise<number>): Promise<Rate> {
  const started = performance.now();
  const count = await fn();
  return rateOf(count, (performance.now() - started) / 1000);
}

/**
 * Runs `n` tasks with at most `concurrency` in flight and returns each task's latency in ms.
 * The loop is bounded by `n`; a rejected task rejects the whole run.
 */
export async function runConcurrently(
  n: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<{ rate: Rate; latenciesMs: number[] }> {
  const latenciesMs: number[] = new Array<number>(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const index = next++;
      const started = performance.now();
      await task(index);
      latenciesMs[index] = performance.now() - started;
    }
  };
  const rate = await measureRate(async () => {
    await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
    return n;
  });
  return { rate, latenciesMs };
}

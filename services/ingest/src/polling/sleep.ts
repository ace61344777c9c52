import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`, or less if `signal` aborts; never keeps the process alive and never throws. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return;
  await delay(ms, undefined, { ref: false, ...(signal ? { signal } : {}) }).catch(() => undefined);
}

import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`, or less if `signal` aborts; never keeps the process alive and never throws. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return;
  await delay(ms, undefined, { ref: false, ...(signal ? { signal } : {}) }).catch(() => undefined);
}

/**
 * `work`'s value if it settles within `ms`, else undefined (`work` goes on); returns at once when
 * `signal`, if given, aborts. Leaves no timer or listener behind, whichever comes first.
 */
export async function within<T>(work: Promise<T>, ms: number, signal?: AbortSignal): Promise<T | undefined> {
  if (signal?.aborted) return undefined;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: () => void = () => undefined;
  const given = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
    onAbort = () => resolve(undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, given]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

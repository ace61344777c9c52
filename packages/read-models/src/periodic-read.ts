/**
 * `read` every `intervalMs` (null: only when `refresh` is called), one at a time: while Kafka is
 * unreachable a read can take its client's retries. The timer joins a read under way; `refresh`
 * answers with a read begun after it was called (a wait must not take one begun before the write
 * it waits for): with one under way, the next read, which every caller meanwhile shares.
 */
export function periodicRead(
  read: () => Promise<void>,
  intervalMs: number | null,
  onError: (error: unknown) => void = () => undefined,
): { refresh: () => Promise<void>; stop: () => void } {
  let inFlight: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const current = () => (inFlight ??= read().finally(() => (inFlight = null)));
  const startNext = () => {
    next = null;
    // A caller woken by the read just ended may have begun another: it too began after ours asked.
    return current();
  };
  const refresh = () => (inFlight === null ? current() : (next ??= inFlight.then(startNext, startNext)));
  const timer =
    intervalMs === null ? undefined : setInterval(() => void current().catch(onError), intervalMs);
  timer?.unref();
  return { refresh, stop: () => clearInterval(timer) };
}

/**
 * `read` every `intervalMs` (null: only when `refresh` is called), one at a time: while Kafka is
 * unreachable a read can take its client's retries, and callers asking meanwhile share it.
 */
export function periodicRead(
  read: () => Promise<void>,
  intervalMs: number | null,
  onError: (error: unknown) => void = () => undefined,
): { refresh: () => Promise<void>; stop: () => void } {
  let inFlight: Promise<void> | null = null;
  const refresh = () => (inFlight ??= read().finally(() => (inFlight = null)));
  const timer =
    intervalMs === null ? undefined : setInterval(() => void refresh().catch(onError), intervalMs);
  timer?.unref();
  return { refresh, stop: () => clearInterval(timer) };
}

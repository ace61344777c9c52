/**
 * Whether a key's event is worth a log line now: at most once per `everyMs` per key, so a shop whose
 * every delivery is refused says so once a minute instead of hundreds of times.
 */
export function oncePer(everyMs: number, now: () => number = Date.now): (key: string) => boolean {
  const last = new Map<string, number>();
  return (key) => {
    const at = now();
    const before = last.get(key);
    if (before !== undefined && at - before < everyMs) return false;
    last.set(key, at);
    return true;
  };
}

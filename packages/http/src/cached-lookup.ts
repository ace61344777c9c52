/**
 * `load` behind a cache of `ttlMs` per key, for what each request looks up (a tenant, an API key).
 * The lookup itself is cached, so the requests that find an entry expired share one store round
 * trip; a lookup that fails is forgotten, and the next request tries again.
 */
export function cachedLookup<T>(load: (key: string) => Promise<T>, ttlMs: number, maxEntries = 10_000) {
  const cache = new Map<string, { value: Promise<T>; expires: number }>();
  return (key: string): Promise<T> => {
    const hit = cache.get(key);
    if (hit && hit.expires > Date.now()) return hit.value;
    const value = load(key);
    if (cache.size >= maxEntries) cache.clear();
    cache.set(key, { value, expires: Date.now() + ttlMs });
    value.catch(() => {
      if (cache.get(key)?.value === value) cache.delete(key);
    });
    return value;
  };
}

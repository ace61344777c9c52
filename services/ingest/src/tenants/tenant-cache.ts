import type { Tenant } from './tenant-store';

/** Webhooks arrive in bursts per shop; a short TTL spares the store one read per delivery. */
export function cachedLookup(load: (orgId: string) => Promise<Tenant | null>, ttlMs = 5_000) {
  const cache = new Map<string, { tenant: Tenant | null; expires: number }>();
  return async (orgId: string): Promise<Tenant | null> => {
    const hit = cache.get(orgId);
    if (hit && hit.expires > Date.now()) return hit.tenant;
    const tenant = await load(orgId);
    cache.set(orgId, { tenant, expires: Date.now() + ttlMs });
    return tenant;
  };
}

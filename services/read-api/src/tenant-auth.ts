import { bearerChallenge, bearerToken, cachedLookup, hashSecret } from '@cdp/http';
import type { NextFunction, Request, Response } from 'express';
import type { Db } from 'mongodb';
import { revenuePolicies, type RevenuePolicy } from '@cdp/read-models';

export interface TenantContext {
  tenantId: string;
  revenuePolicy: RevenuePolicy;
  /** The shop uninstalled the app (ingest records Haravan's app/uninstalled): nothing can be pushed to it. */
  uninstalled: boolean;
}

interface ApiKeyDoc {
  _id: string;
  tenantId: string;
  revokedAt: Date | null;
}

/** The tenants collection belongs to ingest's admin API; the read side only reads its settings. */
interface TenantSettingsDoc {
  _id: string;
  revenuePolicy?: string;
  uninstalledAt?: Date | null;
}

const policyOf = (doc: TenantSettingsDoc | null): RevenuePolicy =>
  revenuePolicies.find((p) => p === doc?.revenuePolicy) ?? 'as-written';

/**
 * Resolves `Authorization: Bearer <apiKey>` to its tenant and the tenant's settings; every read is
 * scoped to that tenant. Lookups are cached for `ttlMs`, so a revoked key or a changed policy takes
 * effect within that time, and a read costs no extra store round trips.
 */
export function requireTenant(db: Db, ttlMs = 2_000) {
  const keys = db.collection<ApiKeyDoc>('api_keys');
  const tenants = db.collection<TenantSettingsDoc>('tenants');
  const resolve = cachedLookup(async (key): Promise<TenantContext | null> => {
    const found = await keys.findOne({ _id: hashSecret(key) });
    if (!found || found.revokedAt) return null;
    const settings = await tenants.findOne({ _id: found.tenantId });
    return {
      tenantId: found.tenantId,
      revenuePolicy: policyOf(settings),
      uninstalled: (settings?.uninstalledAt ?? null) !== null,
    };
  }, ttlMs);

  return async (req: Request, res: Response, next: NextFunction) => {
    const key = bearerToken(req.get('authorization'));
    const context = key ? await resolve(key) : null;
    if (!context) {
      return res
        .status(401)
        .set('WWW-Authenticate', bearerChallenge('cdp tenant', key !== null))
        .json({ error: { code: 'ERR_UNAUTHORIZED', message: 'a valid tenant API key is required' } });
    }
    res.locals.tenant = context;
    return next();
  };
}

export const tenantOf = (res: Response): TenantContext => res.locals.tenant as TenantContext;

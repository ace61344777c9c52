import { bearerChallenge, bearerToken, cachedLookup, hashSecret } from '@cdp/http';
import type { NextFunction, Request, Response } from 'express';
import type { Db } from 'mongodb';
import { revenuePolicies, type RevenuePolicy } from '@cdp/read-models';

export interface TenantContext {
  tenantId: string;
  revenuePolicy: RevenuePolicy;
  /**
   * Why nothing can be pushed to the shop now, as ingest recorded it: Haravan's app/uninstalled, or
   * Haravan refusing the access token (revoked without an uninstall); null when pushes can go.
   */
  pushBlocked: { code: string; message: string } | null;
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
  credentialsRefusedAt?: Date | null;
}

function pushBlockedBy(doc: TenantSettingsDoc | null): TenantContext['pushBlocked'] {
  // A new push would wait for an operator's new token, for a time nobody knows.
  if (doc?.uninstalledAt)
    return {
      code: 'ERR_TENANT_UNINSTALLED',
      message:
        'the shop uninstalled the app: nothing can be pushed until an operator sets a new access token',
    };
  if (doc?.credentialsRefusedAt)
    return {
      code: 'ERR_TENANT_CREDENTIALS_REFUSED',
      message:
        "Haravan refuses the shop's access token: nothing can be pushed until it takes it again or an operator sets a new one",
    };
  return null;
}

/** README: a revoked key, or a changed revenue policy, applies within this. */
const KEY_TTL_MS = 2_000;

const policyOf = (doc: TenantSettingsDoc | null): RevenuePolicy =>
  revenuePolicies.find((p) => p === doc?.revenuePolicy) ?? 'as-written';

/**
 * Resolves `Authorization: Bearer <apiKey>` to its tenant and the tenant's settings; every read is
 * scoped to that tenant. Lookups are cached for `KEY_TTL_MS`, so a revoked key or a changed policy takes
 * effect within that time, and a read costs no extra store round trips.
 */
export function requireTenant(db: Db) {
  const keys = db.collection<ApiKeyDoc>('api_keys');
  const tenants = db.collection<TenantSettingsDoc>('tenants');
  const resolve = cachedLookup(async (key): Promise<TenantContext | null> => {
    const found = await keys.findOne({ _id: hashSecret(key) });
    if (!found || found.revokedAt) return null;
    const settings = await tenants.findOne({ _id: found.tenantId });
    return {
      tenantId: found.tenantId,
      revenuePolicy: policyOf(settings),
      pushBlocked: pushBlockedBy(settings),
    };
  }, KEY_TTL_MS);

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

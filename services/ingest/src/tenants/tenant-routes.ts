import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { jsonBody, type ErrorView } from '@cdp/http';
import {
  apiKeyPath,
  createTenantBody,
  tenantChangesBody,
  type tenantPath,
  type ApiKeyIssued,
  type ApiKeyList,
  type TenantConnection,
  type TenantSettings,
  type TenantStatus,
  type TenantSync,
} from './tenant-schemas';
import type { Tenant, TenantStore } from './tenant-store';

export interface TenantRoutesDeps {
  tenants: TenantStore;
  defaultApiBaseUrl: string;
  /** Starts the tenant's backfill and polling; status is reported by `syncStatus`. */
  onTenantCreated: (tenantId: string) => void;
  syncStatus: (tenantId: string) => Promise<TenantSync>;
}

type TenantRequest = Request<z.output<typeof tenantPath>>;

const fail = (res: Response, status: number, code: string, message: string) =>
  res.status(status).json({ error: { code, message } } satisfies ErrorView);

const connectionOf = (tenant: Tenant): TenantConnection => ({
  apiCredentialsSetAt: tenant.apiCredentialsSetAt.toISOString(),
  uninstalledAt: tenant.uninstalledAt?.toISOString() ?? null,
  credentialsRefusedAt: tenant.credentialsRefusedAt?.toISOString() ?? null,
  previousWebhookSecrets: tenant.previousWebhookSecrets.length,
});

const notFound = (res: Response, tenantId: string) =>
  fail(res, 404, 'ERR_TENANT_NOT_FOUND', `no tenant ${tenantId}`);

export function tenantRouter(deps: TenantRoutesDeps): Router {
  const router = Router();
  const body = jsonBody('64kb');
  /** A verify token names the tenant whose handshake it answers, so one tenant's is refused to another. */
  const tokenTaken = async (res: Response, token: string | undefined, tenantId: string) => {
    const holder = token === undefined ? null : await deps.tenants.byVerifyToken(token);
    if (holder === null || holder.tenantId === tenantId) return false;
    fail(res, 409, 'ERR_VERIFY_TOKEN_TAKEN', 'webhookVerifyToken belongs to another tenant');
    return true;
  };

  router.post('/admin/tenants', body, async (req: Request, res: Response) => {
    const parsed = createTenantBody.safeParse(req.body);
    if (!parsed.success) return fail(res, 400, 'ERR_BAD_TENANT', z.prettifyError(parsed.error));
    const input = {
      ...parsed.data,
      haravanApiBaseUrl: parsed.data.haravanApiBaseUrl ?? deps.defaultApiBaseUrl,
    };
    if (await tokenTaken(res, input.webhookVerifyToken, input.tenantId)) return;
    const created = await deps.tenants.create(input);
    if (!created.ok) {
      const message =
        created.reason === 'TENANT_EXISTS' ? 'tenant id already exists' : 'org id belongs to another tenant';
      return fail(res, 409, `ERR_${created.reason}`, message);
    }
    deps.onTenantCreated(input.tenantId);
    return res.status(201).json({
      tenantId: input.tenantId,
      apiKey: created.apiKey,
      keyId: created.keyId,
    } satisfies ApiKeyIssued);
  });

  router.get('/admin/tenants/:tenantId', async (req: TenantRequest, res: Response) => {
    const tenant = await deps.tenants.get(req.params.tenantId);
    if (!tenant) return notFound(res, req.params.tenantId);
    return res.json({
      tenantId: tenant.tenantId,
      haravanOrgId: tenant.haravanOrgId,
      haravanApiBaseUrl: tenant.haravanApiBaseUrl,
      revenuePolicy: tenant.revenuePolicy,
      createdAt: tenant.createdAt.toISOString(),
      connection: connectionOf(tenant),
      sync: await deps.syncStatus(tenant.tenantId),
    } satisfies TenantStatus);
  });

  // R20: the revenue policy applies at once (both figures are kept). New credentials reach polling
  // at its next lease renewal and webhooks within the tenant cache's few seconds.
  router.patch('/admin/tenants/:tenantId', body, async (req: TenantRequest, res: Response) => {
    const parsed = tenantChangesBody.safeParse(req.body);
    if (!parsed.success) return fail(res, 400, 'ERR_BAD_SETTINGS', z.prettifyError(parsed.error));
    const token = parsed.data.webhookVerifyToken;
    if (token !== undefined && !(await deps.tenants.get(req.params.tenantId)))
      return notFound(res, req.params.tenantId);
    if (await tokenTaken(res, token, req.params.tenantId)) return;
    const tenant = await deps.tenants.update(req.params.tenantId, parsed.data);
    if (!tenant) return notFound(res, req.params.tenantId);
    return res.json({
      tenantId: tenant.tenantId,
      haravanApiBaseUrl: tenant.haravanApiBaseUrl,
      revenuePolicy: tenant.revenuePolicy,
      connection: connectionOf(tenant),
    } satisfies TenantSettings);
  });

  router.post('/admin/tenants/:tenantId/api-keys', async (req: TenantRequest, res: Response) => {
    if (!(await deps.tenants.get(req.params.tenantId))) return notFound(res, req.params.tenantId);
    const issued = await deps.tenants.issueApiKey(req.params.tenantId);
    return res.status(201).json({ tenantId: req.params.tenantId, ...issued } satisfies ApiKeyIssued);
  });

  router.get('/admin/tenants/:tenantId/api-keys', async (req: TenantRequest, res: Response) => {
    if (!(await deps.tenants.get(req.params.tenantId))) return notFound(res, req.params.tenantId);
    const keys = await deps.tenants.apiKeys(req.params.tenantId);
    return res.json({
      items: keys.map((key) => ({
        keyId: key.keyId,
        createdAt: key.createdAt.toISOString(),
        revokedAt: key.revokedAt?.toISOString() ?? null,
      })),
    } satisfies ApiKeyList);
  });

  router.delete('/admin/tenants/:tenantId/api-keys/:keyId', async (req: Request, res: Response) => {
    const path = apiKeyPath.safeParse(req.params);
    if (!path.success) return fail(res, 400, 'ERR_BAD_KEY_ID', z.prettifyError(path.error));
    const revoked = await deps.tenants.revokeApiKey(path.data.tenantId, path.data.keyId);
    return revoked ? res.status(204).end() : fail(res, 404, 'ERR_KEY_NOT_FOUND', 'no such active key');
  });

  return router;
}

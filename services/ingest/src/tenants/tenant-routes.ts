import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { revenuePolicies } from '@cdp/read-models';
import type { TenantStore } from './tenant-store';

const createTenantBody = z.strictObject({
  tenantId: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{1,62}$/, 'lowercase letters, digits, - and _, 2 to 63 characters'),
  haravanOrgId: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(String),
  haravanAccessToken: z.string().min(1),
  haravanWebhookSecret: z.string().min(1),
  haravanApiBaseUrl: z.url().optional(),
  webhookVerifyToken: z.string().min(1).optional(),
  revenuePolicy: z.enum(revenuePolicies).optional(),
});

const tenantSettingsBody = z.strictObject({ revenuePolicy: z.enum(revenuePolicies) });

export interface TenantRoutesDeps {
  tenants: TenantStore;
  defaultApiBaseUrl: string;
  /** Starts the tenant's backfill and polling; status is reported by `syncStatus`. */
  onTenantCreated: (tenantId: string) => void;
  syncStatus: (tenantId: string) => Promise<Record<string, unknown>>;
}

const notFound = (res: Response, tenantId: string) =>
  res.status(404).json({ error: { code: 'ERR_TENANT_NOT_FOUND', message: `no tenant ${tenantId}` } });

export function tenantRouter(deps: TenantRoutesDeps): Router {
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.post('/admin/tenants', async (req: Request, res: Response) => {
    const parsed = createTenantBody.safeParse(req.body);
    if (!parsed.success) {
      return res
        .status(400)
        .json({ error: { code: 'ERR_BAD_TENANT', message: z.prettifyError(parsed.error) } });
    }
    const input = {
      ...parsed.data,
      haravanApiBaseUrl: parsed.data.haravanApiBaseUrl ?? deps.defaultApiBaseUrl,
    };
    const created = await deps.tenants.create(input);
    if (!created.ok) {
      const message =
        created.reason === 'TENANT_EXISTS' ? 'tenant id already exists' : 'org id belongs to another tenant';
      return res.status(409).json({ error: { code: `ERR_${created.reason}`, message } });
    }
    deps.onTenantCreated(input.tenantId);
    return res.status(201).json({ tenantId: input.tenantId, apiKey: created.apiKey });
  });

  router.get('/admin/tenants/:tenantId', async (req: Request<{ tenantId: string }>, res: Response) => {
    const tenant = await deps.tenants.get(req.params.tenantId);
    if (!tenant) return notFound(res, req.params.tenantId);
    return res.json({
      tenantId: tenant.tenantId,
      haravanOrgId: tenant.haravanOrgId,
      haravanApiBaseUrl: tenant.haravanApiBaseUrl,
      revenuePolicy: tenant.revenuePolicy,
      createdAt: tenant.createdAt.toISOString(),
      sync: await deps.syncStatus(tenant.tenantId),
    });
  });

  // R20: a tenant may count partially refunded orders net of refunds; both figures are kept, so this applies at once.
  router.patch('/admin/tenants/:tenantId', async (req: Request<{ tenantId: string }>, res: Response) => {
    const parsed = tenantSettingsBody.safeParse(req.body);
    if (!parsed.success) {
      return res
        .status(400)
        .json({ error: { code: 'ERR_BAD_SETTINGS', message: z.prettifyError(parsed.error) } });
    }
    if (!(await deps.tenants.setRevenuePolicy(req.params.tenantId, parsed.data.revenuePolicy))) {
      return notFound(res, req.params.tenantId);
    }
    return res.json({ tenantId: req.params.tenantId, ...parsed.data });
  });

  router.post(
    '/admin/tenants/:tenantId/api-keys',
    async (req: Request<{ tenantId: string }>, res: Response) => {
      if (!(await deps.tenants.get(req.params.tenantId))) return notFound(res, req.params.tenantId);
      return res
        .status(201)
        .json({ tenantId: req.params.tenantId, apiKey: await deps.tenants.issueApiKey(req.params.tenantId) });
    },
  );

  router.delete(
    '/admin/tenants/:tenantId/api-keys/:apiKey',
    async (req: Request<{ tenantId: string; apiKey: string }>, res: Response) => {
      const revoked = await deps.tenants.revokeApiKey(req.params.tenantId, req.params.apiKey);
      return revoked
        ? res.status(204).end()
        : res.status(404).json({ error: { code: 'ERR_KEY_NOT_FOUND', message: 'no such active key' } });
    },
  );

  return router;
}

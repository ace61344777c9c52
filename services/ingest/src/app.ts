import express, { type Express } from 'express';
import {
  cachedLookup,
  errorHandler,
  opsRouter,
  requireAdmin,
  unknownRoute,
  type Metrics,
  type ReadinessCheck,
} from '@cdp/http';
import type { Logger } from '@cdp/logging';
import { openApiDocument } from './openapi';
import type { SyncStatus } from './polling/sync-status';
import { tenantRouter } from './tenants/tenant-routes';
import type { TenantStore } from './tenants/tenant-store';
import type { RawLog } from './webhook/raw-log';
import type { WebhookCounts } from './webhook/webhook-counts';
import { DEFAULT_APPEND_TIMEOUT_MS, webhookRouter } from './webhook/webhook-route';

export interface IngestAppDeps {
  tenants: TenantStore;
  rawLog: RawLog;
  log: Logger;
  metrics: Metrics;
  checks: ReadinessCheck[];
  adminToken: string;
  /** Reads /metrics besides the admin token. */
  metricsToken?: string | undefined;
  webhookBodyLimit: string;
  /** Default `DEFAULT_APPEND_TIMEOUT_MS`. */
  webhookAppendTimeoutMs?: number;
  defaultApiBaseUrl: string;
  onTenantCreated: (tenantId: string) => void;
  /** The tenant's polling status (`{}` where this process polls nothing); webhook counts are added to it. */
  syncStatus: (tenantId: string) => Promise<SyncStatus | Record<string, never>>;
  webhookCounts: Pick<WebhookCounts, 'count' | 'of'>;
}

export function createApp(deps: IngestAppDeps): Express {
  const openApi = openApiDocument({ webhookBodyLimit: deps.webhookBodyLimit });
  const app = express();
  app.disable('x-powered-by');
  // First: webhooks are nearly all the traffic, and the other routers' layers would be matched for each.
  app.use(
    webhookRouter({
      rawLog: deps.rawLog,
      // Webhooks arrive in bursts per shop: a short ttl spares the store one read per delivery.
      tenantByOrgId: cachedLookup((orgId) => deps.tenants.byOrgId(orgId), 5_000),
      tenantByVerifyToken: (token) => deps.tenants.byVerifyToken(token),
      log: deps.log,
      bodyLimit: deps.webhookBodyLimit,
      appendTimeoutMs: deps.webhookAppendTimeoutMs ?? DEFAULT_APPEND_TIMEOUT_MS,
      onUninstalled: async (tenantId, at) => {
        await deps.tenants.markUninstalled(tenantId, at);
        deps.log.warn(
          { tenantId },
          'Haravan says the app was uninstalled: polling stops until a new token is set',
        );
      },
      metrics: {
        webhook: (outcome, tenantId) => {
          deps.metrics.inc('webhooks_total', { outcome });
          if (tenantId) deps.webhookCounts.count(tenantId, outcome);
        },
      },
    }),
  );
  // The webhook's port is public, and the metrics name every tenant and its activity.
  app.use(
    opsRouter({
      metrics: deps.metrics,
      checks: deps.checks,
      metricsGuard: requireAdmin(deps.adminToken, ...(deps.metricsToken ? [deps.metricsToken] : [])),
    }),
  );
  app.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use('/admin', requireAdmin(deps.adminToken));
  app.use(
    tenantRouter({
      tenants: deps.tenants,
      defaultApiBaseUrl: deps.defaultApiBaseUrl,
      onTenantCreated: deps.onTenantCreated,
      syncStatus: async (tenantId) => ({
        ...(await deps.syncStatus(tenantId)),
        webhooks: await deps.webhookCounts.of(tenantId),
      }),
    }),
  );
  app.use(unknownRoute);
  app.use(errorHandler(deps.log));
  return app;
}

import { createMetrics } from '@cdp/http';
import { createLogger } from '@cdp/logging';
import { createApp, type IngestAppDeps } from './app';
import type { TenantStore } from './tenants/tenant-store';
import type { RawLog } from './webhook/raw-log';

export const ADMIN_TOKEN = 'admin-token';

/**
 * The ingest app over fakes that fail if touched: enough for what is answered before any store is
 * read, or for the routes of the real deps given.
 */
export const appWithFakes = (real: Partial<IngestAppDeps> = {}) =>
  createApp({
    tenants: {} as TenantStore,
    rawLog: {} as RawLog,
    log: createLogger('test', 'silent'),
    metrics: createMetrics('test'),
    checks: [],
    adminToken: ADMIN_TOKEN,
    webhookBodyLimit: '1mb',
    defaultApiBaseUrl: 'http://127.0.0.1:9',
    onTenantCreated: () => undefined,
    syncStatus: () => Promise.resolve({}),
    webhookCounts: { count: () => undefined, of: () => Promise.reject(new Error('not used')) },
    ...real,
  });

import type { Db } from 'mongodb';
import type { Logger } from '@cdp/logging';
import type { TenantStore } from '../tenants/tenant-store';
import type { RawLog } from '../webhook/raw-log';
import { createCursorStore } from './cursor-store';
import type { PollingConfig } from './polling-config';
import { createShopScheduler, type ShopScheduler } from './shop-scheduler';
import { syncStatusOf, type SyncStatus } from './sync-status';

export interface PollingManagerDeps {
  tenants: TenantStore;
  rawLog: RawLog;
  db: Db;
  log: Logger;
  config: PollingConfig;
  now?: () => number;
}

export interface PollingManager {
  /** Starts a scheduler for every stored tenant (after a restart each resumes from its cursors). */
  start(): Promise<void>;
  /** Starts the tenant's scheduler unless it runs already; never rejects. */
  addTenant(tenantId: string): Promise<void>;
  status(tenantId: string): Promise<SyncStatus>;
  /** Stops every scheduler; cursors stay where the last appended page left them. */
  stop(): Promise<void>;
}

/** One scheduler per shop, all in this process. */
export function createPollingManager(deps: PollingManagerDeps): PollingManager {
  const now = deps.now ?? Date.now;
  const cursors = createCursorStore(deps.db);
  const schedulers = new Map<string, Promise<ShopScheduler | null>>();
  let stopped = false;

  async function launch(tenantId: string): Promise<ShopScheduler | null> {
    const tenant = await deps.tenants.get(tenantId);
    if (!tenant || stopped) return null;
    const scheduler = createShopScheduler({
      tenant,
      rawLog: deps.rawLog,
      cursors,
      config: deps.config,
      log: deps.log,
      now,
    });
    scheduler.start();
    deps.log.info({ tenantId }, 'polling started');
    return scheduler;
  }

  const addTenant = async (tenantId: string): Promise<void> => {
    if (stopped || schedulers.has(tenantId)) return;
    const launched = launch(tenantId).catch((error: unknown) => {
      deps.log.error({ err: error, tenantId }, 'polling could not start');
      schedulers.delete(tenantId);
      return null;
    });
    schedulers.set(tenantId, launched);
    await launched;
  };

  return {
    async start() {
      const tenants = await deps.tenants.list();
      await Promise.all(tenants.map((tenant) => addTenant(tenant.tenantId)));
    },
    addTenant,
    async status(tenantId) {
      const scheduler = await schedulers.get(tenantId);
      return syncStatusOf(await cursors.list(tenantId), scheduler?.stats() ?? null);
    },
    async stop() {
      stopped = true;
      const all = await Promise.all(schedulers.values());
      await Promise.all(all.flatMap((scheduler) => (scheduler ? [scheduler.stop()] : [])));
      schedulers.clear();
    },
  };
}

import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import type { LogEnds } from '@cdp/read-models';
import type { Db } from 'mongodb';
import { createCommandStore } from '@cdp/commands';
import type { Logger } from '@cdp/logging';
import { projectionLagMs } from '../projection-lag';
import { createPushWork } from '../push/push-work';
import type { Tenant, TenantStore } from '../tenants/tenant-store';
import { createKnownAggregates } from '../worker/known-aggregates';
import type { RawLog } from '../webhook/raw-log';
import { createCursorStore, type CursorStore } from './cursor-store';
import { DEFAULT_LEASE_TTL_MS, type PollingConfig } from './polling-config';
import { createPollingLease, keepsPolling } from './polling-lease';
import { createShopScheduler, type ShopScheduler, type ShopStats } from './shop-scheduler';
import { sleep, within } from './sleep';
import { syncStatusOf, type SyncStatus } from './sync-status';

export interface PollingManagerDeps {
  tenants: TenantStore;
  rawLog: RawLog;
  db: Db;
  log: Logger;
  config: PollingConfig;
  /** Where Kafka's domain topics end, for the status's projection lag. */
  logEnds?: LogEnds;
  /** How long what ingest accepted has waited for the decider, for the status; 0 unknown. */
  deciderLagMs?: () => number;
  /** Where resources' sync cursors are kept; by default the `sync_cursors` collection of `db`. */
  cursors?: CursorStore;
  now?: () => number;
}

export interface PollingManager {
  /**
   * Tends every stored tenant (after a restart each resumes from its cursors), and every third of
   * the lease ttl the tenants connected since, through any instance.
   */
  start(): Promise<void>;
  /**
   * Tends the tenant unless it does already: its scheduler runs while this instance holds the
   * tenant's lease. Resolves after the first attempt to take it; never rejects.
   */
  addTenant(tenantId: string): Promise<void>;
  /** Polling status, the tenant's push commands by status, and the lag. */
  status(tenantId: string): Promise<SyncStatus>;
  /** The live counters of every shop this process polls now. */
  polled(): { tenantId: string; stats: ShopStats }[];
  /** Stops every scheduler and releases its lease; cursors stay where the last appended page left them. */
  stop(): Promise<void>;
}

interface Tended {
  scheduler: ShopScheduler | null;
  /** The tenant's API credentials the scheduler was started with. */
  credentialsSetAt: number;
  /** Expiry of the lease as last renewed by this instance; 0 before it ever held it. */
  heldUntil: number;
  loop: Promise<void>;
}

/** A renewal the store refused or could not take, as opposed to one it never answered. */
const UNREACHABLE = 'unreachable' as const;

/**
 * One scheduler per shop across all ingest instances: each instance tries, every third of the
 * lease ttl, to take or renew every tenant's lease, and polls exactly the shops it holds. Cursors
 * are in the store, so a takeover resumes where the previous holder left off.
 */

export function createPollingManager(deps: PollingManagerDeps): PollingManager {
  const now = deps.now ?? Date.now;
  const ttlMs = deps.config.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  const periodMs = Math.max(1, Math.floor(ttlMs / 3));
  const cursors = deps.cursors ?? createCursorStore(deps.db);
  const commands = createCommandStore(deps.db);
  const known = createKnownAggregates(deps.db);
  const lease = createPollingLease({
    db: deps.db,
    holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    ttlMs,
    now,
  });
  const tended = new Map<string, Tended>();
  const abort = new AbortController();
  // Every tenant's loop waits on it: past 10 tenants Node would warn of a listener leak that is none.
  setMaxListeners(0, abort.signal);
  const pushWork = createPushWork(commands, deps.config.pushIntervalMs, abort.signal);
  /** Started with the first shop tended. */
  let lookingForPushes: Promise<void> | null = null;

  function launch(tenant: Tenant): ShopScheduler {
    const scheduler = createShopScheduler({
      tenant,
      rawLog: deps.rawLog,
      cursors,
      commands,
      known,
      config: deps.config,
      log: deps.log,
      now,
      mayHavePushes: () => pushWork.mayHave(tenant.tenantId),
      // Kept with the tenant, so the read API refuses pushes that could not be sent (409).
      onCredentialsRefused: (refused) =>
        void deps.tenants
          .markCredentialsRefused(
            tenant.tenantId,
            tenant.apiCredentialsSetAt,
            refused ? new Date(now()) : null,
          )
          .catch((error: unknown) => {
            deps.log.warn({ err: error, tenantId: tenant.tenantId }, 'refused credentials not recorded');
          }),
    });
    scheduler.start();
    deps.log.info({ tenantId: tenant.tenantId, holder: lease.holder }, 'polling started');
    return scheduler;
  }

  async function halt(slot: Tended, tenantId: string, why: string): Promise<void> {
    const scheduler = slot.scheduler;
    slot.scheduler = null;
    await scheduler?.stop();
    if (scheduler) deps.log.info({ tenantId }, `polling stopped here: ${why}`);
  }

  /** One renewal and its consequence; never rejects. */
  async function tick(tenantId: string, slot: Tended): Promise<void> {
    // The store's answers are waited for only while the lease held cannot lapse (a tick held up
    // past that would let the scheduler poll on after another instance took the shop over), and
    // without a scheduler a period at most; a stop ends the wait.
    const answer = <T>(work: Promise<T>) =>
      within(work, slot.scheduler ? slot.heldUntil - periodMs - now() : periodMs, abort.signal);
    const renewed = await answer(
      lease.acquire(tenantId).catch((error: unknown) => {
        deps.log.warn({ err: error, tenantId }, 'polling lease not renewed: store unreachable');
        return UNREACHABLE;
      }),
    );
    if (typeof renewed === 'number') slot.heldUntil = renewed;
    // A stop ended the wait: `tend` stops the scheduler and gives the lease back.
    if (abort.signal.aborted) return;
    // A renewal never answered is given up where the lease leaves no time for another attempt
    // (or, without a scheduler, after a period): polling stops, whatever the clock says then (a
    // timer fires early by as much as the event loop lags, and one more period of polling would
    // outlive the lease).
    const stops =
      renewed === undefined ||
      !keepsPolling(renewed === UNREACHABLE ? undefined : renewed, slot.heldUntil, now(), periodMs);
    if (stops) {
      // Stopped before the lease can lapse, so the next holder overlaps it by one page at most.
      return halt(slot, tenantId, 'lease lost or not renewable');
    }
    // Read on every renewal: credentials rotated or an uninstall recorded by any instance reach the holder.
    const tenant = await answer(
      deps.tenants.get(tenantId).catch((error: unknown) => {
        deps.log.warn({ err: error, tenantId }, 'tenant not read: store unreachable');
        return undefined;
      }),
    );
    if (tenant === undefined) return;
    if (!tenant) return halt(slot, tenantId, 'the tenant is gone');
    // The lease is kept: its holder is the one to see a new token.
    if (tenant.uninstalledAt) return halt(slot, tenantId, 'the app is uninstalled from the shop');
    const credentialsSetAt = tenant.apiCredentialsSetAt.getTime();
    if (slot.scheduler && slot.credentialsSetAt !== credentialsSetAt)
      await halt(slot, tenantId, 'new API credentials; starting again with them');
    if (slot.scheduler) return;
    slot.scheduler = launch(tenant);
    slot.credentialsSetAt = credentialsSetAt;
  }

  async function tend(tenantId: string, slot: Tended): Promise<void> {
    while (!abort.signal.aborted) {
      await sleep(periodMs, abort.signal);
      if (!abort.signal.aborted) await tick(tenantId, slot);
    }
    await slot.scheduler?.stop();
    slot.scheduler = null;
    // Only after the scheduler stopped, so the next holder never overlaps it.
    if (slot.heldUntil > now()) {
      await lease.release(tenantId).catch((error: unknown) => {
        deps.log.warn({ err: error, tenantId }, 'polling lease not released; it lapses after its ttl');
      });
    }
  }

  const addTenant = async (tenantId: string): Promise<void> => {
    if (abort.signal.aborted || tended.has(tenantId)) return;
    lookingForPushes ??= pushWork.run();
    const slot: Tended = { scheduler: null, credentialsSetAt: 0, heldUntil: 0, loop: Promise.resolve() };
    tended.set(tenantId, slot);
    const first = tick(tenantId, slot);
    slot.loop = first.then(() => tend(tenantId, slot));
    await first;
  };

  const addTenants = async () => {
    await Promise.all((await deps.tenants.ids()).map(addTenant));
  };

  /** Tenants connected through another instance: this one takes them over if that one dies. */
  async function discover(): Promise<void> {
    while (!abort.signal.aborted) {
      await sleep(periodMs, abort.signal);
      if (abort.signal.aborted) return;
      await addTenants().catch((error: unknown) => {
        deps.log.warn({ err: error }, 'tenants not listed: store unreachable');
      });
    }
  }
  let discovering: Promise<void> = Promise.resolve();

  return {
    async start() {
      await commands.ensureIndexes();
      await addTenants();
      discovering = discover();
    },
    addTenant,
    async status(tenantId) {
      const live = tended.get(tenantId)?.scheduler?.stats() ?? null;
      const nowMs = now();
      const [stored, pollingBy, pushes, projectionLag] = await Promise.all([
        cursors.list(tenantId),
        lease.pollingBy(tenantId),
        commands.counts(tenantId),
        projectionLagMs(deps.db, nowMs, deps.logEnds),
      ]);
      const deciderLagMs = deps.deciderLagMs?.() ?? 0;
      return syncStatusOf({
        stored,
        live,
        pollingBy,
        pushes,
        projectionLagMs: projectionLag,
        deciderLagMs,
        nowMs,
      });
    },
    polled: () =>
      [...tended].flatMap(([tenantId, slot]) =>
        slot.scheduler ? [{ tenantId, stats: slot.scheduler.stats() }] : [],
      ),
    async stop() {
      abort.abort();
      await Promise.all([discovering, lookingForPushes]);
      await Promise.all([...tended.values()].map((slot) => slot.loop));
      tended.clear();
    },
  };
}

import { setMaxListeners } from 'node:events';
import type { CommandStore } from '@cdp/commands';
import type { Logger } from '@cdp/logging';
import { createPushRunner } from '../push/push-runner';
import { DEFAULT_PUSH_OUTCOME_LOOKUP, DEFAULT_PUSH_RETRY } from '../push/push-schedule';
import type { Tenant } from '../tenants/tenant-store';
import type { RawLog } from '../webhook/raw-log';
import type { KnownAggregates } from '../worker/known-aggregates';
import type { CursorStore } from './cursor-store';
import { createCredentialsWatch } from './credentials-watch';
import { createHaravanClient } from './haravan-client';
import { createHaravanClock } from './haravan-clock';
import type { PollingConfig } from './polling-config';
import { createResourceRunner, type ResourceRunner } from './resource-runner';
import { createShopBucket } from './shop-bucket';
import { createShopIdentity } from './shop-identity';
import { POLLED_RESOURCES, type PolledResource, type SyncCursor, type SyncError } from '@cdp/contracts';

export interface ShopStats {
  requests: number;
  throttled: number;
  /** 5xx answers and calls that got no answer. */
  failedRequests: number;
  bucketLevel: number;
  /** How far this host's clock runs ahead of Haravan's, as its answers tell (0 if behind or unknown). */
  haravanClockAheadMs: number;
  resources: Record<
    PolledResource,
    { cursor: SyncCursor | null; loadError?: SyncError | null; appended: number }
  >;
}

export interface ShopScheduler {
  start(): void;
  /** Aborts waits and in-flight calls; a page already fetched is still appended and recorded. */
  stop(): Promise<void>;
  stats(): ShopStats;
}

export interface ShopSchedulerDeps {
  tenant: Tenant;
  rawLog: RawLog;
  cursors: CursorStore;
  commands: CommandStore;
  known: KnownAggregates;
  config: PollingConfig;
  log: Logger;
  now: () => number;
  /** Haravan refused the shop's credentials (401), or took them again after that: called on each change. */
  onCredentialsRefused?: (refused: boolean) => void;
  /** False when the instance's last look found none of the shop's push commands waiting or in flight. */
  mayHavePushes: () => boolean;
}

/** Everything that calls one shop shares its bucket, so polls and pushes never storm it. */
export function createShopScheduler(deps: ShopSchedulerDeps): ShopScheduler {
  const abort = new AbortController();
  // The shop's runners, calls and bucket waits all listen to it: a dozen at once is no leak.
  setMaxListeners(0, abort.signal);
  const bucket = createShopBucket({ ...deps.config.bucket, now: deps.now });
  const counts = { requests: 0, throttled: 0, failedRequests: 0 };
  const clock = createHaravanClock(deps.now);
  const credentials = createCredentialsWatch(deps.tenant.credentialsRefusedAt !== null, (refused) =>
    deps.onCredentialsRefused?.(refused),
  );
  const client = createHaravanClient({
    baseUrl: deps.tenant.haravanApiBaseUrl,
    accessToken: deps.tenant.accessToken,
    bucket,
    retry: deps.config.retry,
    now: deps.now,
    signal: abort.signal,
    clock,
    onResponse(status) {
      counts.requests += 1;
      if (status === 429) counts.throttled += 1;
      if (status === 0 || status >= 500) counts.failedRequests += 1;
      credentials.observe(status);
    },
  });
  const identity = createShopIdentity({
    client,
    orgId: deps.tenant.haravanOrgId,
    failureDelayMs: deps.config.failureDelayMs,
    now: deps.now,
    log: deps.log,
  });
  const runners = Object.fromEntries(
    POLLED_RESOURCES.map((resource) => [
      resource,
      createResourceRunner({ ...deps, resource, client, clock, identity, signal: abort.signal }),
    ]),
  ) as Record<PolledResource, ResourceRunner>;
  const pushes = createPushRunner({
    ...deps,
    client,
    clock,
    identity,
    signal: abort.signal,
    intervalMs: deps.config.pushIntervalMs,
    retentionMs: deps.config.pushRetentionMs,
    retry: deps.config.pushRetry ?? DEFAULT_PUSH_RETRY,
    outcomeLookup: deps.config.pushOutcomeLookup ?? DEFAULT_PUSH_OUTCOME_LOOKUP,
    credentialsRefused: credentials.refused,
    mayHaveWork: deps.mayHavePushes,
  });
  let running: Promise<unknown> = Promise.resolve();

  return {
    start() {
      running = Promise.all([...POLLED_RESOURCES.map((resource) => runners[resource].run()), pushes.run()]);
    },
    async stop() {
      abort.abort();
      await running;
    },
    stats() {
      const resources = Object.fromEntries(
        POLLED_RESOURCES.map((resource) => [
          resource,
          {
            cursor: runners[resource].cursor(),
            loadError: runners[resource].loadError(),
            appended: runners[resource].appended(),
          },
        ]),
      ) as ShopStats['resources'];
      return {
        ...counts,
        bucketLevel: Math.round(bucket.level() * 10) / 10,
        haravanClockAheadMs: clock.offsetMs(),
        resources,
      };
    },
  };
}

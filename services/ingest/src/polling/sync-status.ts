import { z } from 'zod';
import {
  POLLED_RESOURCES,
  syncPhaseOf,
  type PolledResource,
  type SyncCursor,
  type SyncError,
  type SyncPhase,
} from '@cdp/contracts';
import type { PollingBy } from './polling-lease';
import type { ShopStats } from './shop-scheduler';

const timestamp = z.iso.datetime({ offset: true });
const count = z.number().int().min(0);
const syncPhase = z.enum(['backfill', 'incremental', 'failing']) satisfies z.ZodType<SyncPhase>;
/** Every phase a resource can be in. */
export const SYNC_PHASES = syncPhase.options;

const syncError = z.strictObject({
  code: z.string(),
  message: z.string(),
  atMs: z.number().int(),
  at: timestamp,
});

const resourceStatusSchema = z.union([
  z
    .strictObject({
      phase: z.literal('failing').nullable(),
      appended: count,
      lastError: syncError
        .nullable()
        .describe('why the cursor could not be loaded yet: Haravan or the store unreachable'),
    })
    .describe('no cursor stored yet'),
  z.strictObject({
    phase: syncPhase,
    cursor: timestamp.describe('incremental polls resume here, minus the overlap'),
    lastPollStartedAt: timestamp.nullable(),
    lastPollFinishedAt: timestamp.nullable(),
    backfill: z.strictObject({
      done: z.boolean(),
      fetched: count,
      total: count.nullable().describe("the shop's count when the backfill began; null until known"),
      pages: count,
      startedAt: timestamp,
      finishedAt: timestamp.nullable(),
      reachedBack: timestamp.nullable().describe('everything updated after this has been fetched'),
    }),
    catchUp: z
      .strictObject({
        from: timestamp,
        reached: timestamp.describe('everything updated from `from` up to this has been fetched'),
        until: timestamp,
        pages: count,
      })
      .nullable()
      .describe(
        'changes of a gap longer than a poll reads (the service was down), read between polls; null when none is left',
      ),
    lastError: syncError.nullable(),
    lastSweep: z
      .strictObject({
        finishedAt: timestamp,
        deleted: count.describe('deletions it found that no webhook had brought'),
        listedAt: timestamp.nullable().describe('when a sweep last listed every id'),
        error: z
          .strictObject({ code: z.string(), message: z.string() })
          .nullable()
          .describe('why it stopped short; the next one runs an interval later'),
      })
      .nullable()
      .describe('the last check for deletions whose webhook was lost; null before the first'),
    appended: count.describe('records this process appended to the raw topic'),
  }),
]);

const perResource = <S extends z.ZodType>(schema: S) =>
  z.strictObject({ orders: schema, customers: schema, products: schema });

/** What `GET /admin/tenants/{id}` shows under `sync`, the webhook counts aside. */
export const syncStatusSchema = z.strictObject({
  phase: syncPhase.nullable().describe('the worst of the resources; null before the first sync'),
  running: z.boolean().describe("this process runs the tenant's scheduler"),
  pollingBy: z.enum(['this-instance', 'another-instance', 'nobody']).describe('who holds the polling lease'),
  requests: count,
  throttled: count,
  failedRequests: count,
  bucketLevel: z.number().nullable(),
  haravanClockAheadMs: z
    .number()
    .int()
    .nullable()
    .describe(
      "how far this host's clock runs ahead of Haravan's (its answers' Date), negative when behind; windows and cursors are in Haravan's time (a host behind is not corrected: its polls are late by as much, which the cursors' lag shows). Null where the scheduler does not run",
    ),
  resources: perResource(resourceStatusSchema),
  pushes: z.strictObject({
    pending: count,
    succeeded: count,
    failed: count,
    oldestPendingAt: timestamp
      .nullable()
      .describe('when the oldest command still to send was accepted; null when none waits'),
  }),
  lag: z.strictObject({
    cursorsMs: perResource(count.nullable()).describe(
      "how far each resource's oldest change not yet read trails now (the cursor, or a catch-up's progress); null before its first poll",
    ),
    deciderMs: count.describe(
      'how long what ingest accepted has waited to become events (all tenants: the decider is shared); 0 when caught up',
    ),
    projectionMs: count.describe(
      'how far the read models trail the newest event or what ingest accepted, as the read API counts X-Projection-Lag-Ms (all tenants)',
    ),
  }),
});

export interface SyncStatusInputs {
  /** The stored cursors: true in any process. */
  stored: readonly SyncCursor[];
  /** This process's live counters, when it runs the tenant's scheduler. */
  live: ShopStats | null;
  pollingBy: PollingBy;
  pushes: z.output<typeof syncStatusSchema>['pushes'];
  projectionLagMs: number;
  deciderLagMs: number;
  nowMs: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const withAt = (error: SyncError) => ({ ...error, at: new Date(error.atMs).toISOString() });

function resourceStatus(
  cursor: SyncCursor | undefined,
  appended: number | undefined,
  loadError: SyncError | null | undefined,
) {
  if (!cursor)
    return {
      phase: loadError ? ('failing' as const) : null,
      appended: appended ?? 0,
      lastError: loadError ? withAt(loadError) : null,
    };
  const { backfill } = cursor;
  // A process that cannot load the cursor (a restart while Haravan or the store is away) polls
  // nothing: the stored cursor alone would show it as fine.
  const lastError = loadError ?? cursor.lastError;
  return {
    phase: loadError ? ('failing' as const) : syncPhaseOf(cursor),
    cursor: new Date(cursor.cursorMs).toISOString(),
    lastPollStartedAt: iso(cursor.lastPollStartedAtMs),
    lastPollFinishedAt: iso(cursor.lastPollFinishedAtMs),
    backfill: {
      done: backfill.done,
      fetched: backfill.fetched,
      total: backfill.total,
      pages: backfill.pages,
      startedAt: new Date(backfill.startedAtMs).toISOString(),
      finishedAt: iso(backfill.finishedAtMs),
      reachedBack: backfill.done ? null : iso(backfill.keyset.bound),
    },
    catchUp: cursor.catchUp
      ? {
          from: new Date(cursor.catchUp.fromMs).toISOString(),
          reached: new Date(cursor.catchUp.keyset.bound).toISOString(),
          until: new Date(cursor.catchUp.untilMs).toISOString(),
          pages: cursor.catchUp.pages,
        }
      : null,
    lastError: lastError && withAt(lastError),
    lastSweep: cursor.lastSweep
      ? {
          finishedAt: new Date(cursor.lastSweep.finishedAtMs).toISOString(),
          deleted: cursor.lastSweep.deleted,
          listedAt: iso(cursor.lastSweep.listedAtMs ?? null),
          error: cursor.lastSweep.error ?? null,
        }
      : null,
    appended: appended ?? 0,
  };
}

// Before a first poll the cursor is only where the sync began, which says nothing about polling.
// A catch-up still going is the oldest change not yet read.
export const cursorLagMs = (cursor: SyncCursor | undefined, nowMs: number) =>
  cursor && cursor.lastPollStartedAtMs !== null
    ? Math.max(0, nowMs - (cursor.catchUp?.keyset.bound ?? cursor.cursorMs))
    : null;

/**
 * The tenant's sync status: the stored cursors plus this process's live counters, when it runs
 * the tenant's scheduler, which instance holds the tenant's polling lease, and the lag.
 */
export function syncStatusOf(inputs: SyncStatusInputs) {
  const { live } = inputs;
  // Cursors are in Haravan's time: a host running ahead would otherwise show its skew as lag, and
  // one behind, whose polls end at its own now, hide the delay it puts on them.
  const haravanNowMs = inputs.nowMs - (live?.haravanClockAheadMs ?? 0);
  const byResource = new Map(inputs.stored.map((c) => [c.resource, c]));
  const cursorOf = (resource: PolledResource) => live?.resources[resource].cursor ?? byResource.get(resource);
  const resources = Object.fromEntries(
    POLLED_RESOURCES.map((resource) => [
      resource,
      resourceStatus(
        cursorOf(resource),
        live?.resources[resource].appended,
        live?.resources[resource].loadError,
      ),
    ]),
  ) as Record<PolledResource, ReturnType<typeof resourceStatus>>;
  const phases = Object.values(resources).map((r) => r.phase);
  const phase: SyncPhase = phases.includes('failing')
    ? 'failing'
    : phases.includes('backfill') || phases.includes(null)
      ? 'backfill'
      : 'incremental';
  return {
    phase: inputs.stored.length === 0 && !live ? null : phase,
    running: live !== null,
    pollingBy: inputs.pollingBy,
    requests: live?.requests ?? 0,
    throttled: live?.throttled ?? 0,
    failedRequests: live?.failedRequests ?? 0,
    bucketLevel: live?.bucketLevel ?? null,
    haravanClockAheadMs: live?.haravanClockAheadMs ?? null,
    resources,
    pushes: inputs.pushes,
    lag: {
      cursorsMs: Object.fromEntries(
        POLLED_RESOURCES.map((resource) => [resource, cursorLagMs(cursorOf(resource), haravanNowMs)]),
      ) as Record<PolledResource, number | null>,
      deciderMs: inputs.deciderLagMs,
      projectionMs: Math.max(inputs.projectionLagMs, inputs.deciderLagMs),
    },
  } satisfies z.output<typeof syncStatusSchema>;
}
export type SyncStatus = ReturnType<typeof syncStatusOf>;

import type { Db } from 'mongodb';
import { createCommandStore, noCommands, type CommandCounts } from '@cdp/commands';
import {
  syncPhaseOf,
  tallyWebhooks,
  type SyncCursor,
  type SyncPhase,
  type WebhookOutcomeCounts,
  type WebhookTally,
} from '@cdp/contracts';
import {
  collectionsFor,
  currentGeneration,
  knownLogEnd,
  partitionLagMs,
  pendingRebuild,
  progressCollection,
  withUnstarted,
  CUSTOMER_REBUILDS,
  type CustomerRebuildRequest,
  type CustomerRebuildState,
  type DeciderLag,
  type LogEnds,
  formatOf,
  READ_MODEL_FORMAT,
} from '@cdp/read-models';

/*
 * The collections below belong to ingest (tenants, polling) and the projector (parked events).
 * Sync cursors, which the console shows whole, take their shape from @cdp/contracts, as ingest's do;
 * each other local interface names only the fields the console reads.
 */

/** Ingest's `tenants`, without the sealed secrets: the query projects them away. */
interface TenantDoc {
  _id: string;
  haravanOrgId: string;
  haravanApiBaseUrl: string;
  revenuePolicy?: string;
  createdAt: Date;
  uninstalledAt?: Date | null;
  credentialsRefusedAt?: Date | null;
}
const TENANT_FIELDS = {
  haravanOrgId: 1,
  haravanApiBaseUrl: 1,
  revenuePolicy: 1,
  createdAt: 1,
  uninstalledAt: 1,
  credentialsRefusedAt: 1,
} as const;

/** Ingest's `sync_cursors`: one per tenant and polled resource. */
interface SyncCursorDoc {
  _id: string;
  cursor: SyncCursor;
}

/** Ingest's `polling_leases` (which instance polls a tenant's shop) and the projector's `projector_leases`. */
interface LeaseDoc {
  _id: string;
  holder: string;
  expiresAt: number;
}

/** Ingest's `ingest_raw_marks`: one per raw partition the decider read; `refused` kept until cleared. */
interface RawMarkDoc {
  _id: string;
  refused?: string;
}

/** The projector's kept refusals of a generation's partitions (`projector_log_refusals`). */
interface LogRefusalDoc {
  _id: string;
  reason: string;
}

/** Ingest's `webhook_counts`: one per tenant and ingest process, outcomes by name. */
interface WebhookCountsDoc extends WebhookOutcomeCounts {
  _id: string;
  tenantId: string;
}

export interface ResourceSync {
  resource: string;
  phase: SyncPhase;
  backfill: { done: boolean; fetched: number; total: number | null; reachedBack: string | null };
  /** Incremental polls resume here. */
  cursor: string;
  /** What an outage left to read between polls, and how far that has got. */
  catchUp: { from: string; reached: string; until: string } | null;
  lastPollFinishedAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
  /** The last check for deletions whose webhook was lost: how many it found, or why it stopped. */
  lastSweep: { finishedAt: string; deleted: number; error: { code: string; message: string } | null } | null;
}

export interface TenantStatus {
  tenantId: string;
  haravanOrgId: string;
  haravanApiBaseUrl: string;
  revenuePolicy: string;
  createdAt: string;
  /** Haravan's app/uninstalled: not polled until an operator sets a new token. */
  uninstalledAt: string | null;
  /** Haravan answered the access token 401: pushes are refused until new credentials are set. */
  credentialsRefusedAt: string | null;
  /** The ingest instance holding the tenant's polling lease, null when none does. */
  polledBy: string | null;
  sync: ResourceSync[];
  webhooks: WebhookTally;
  commands: CommandCounts;
}

export interface PartitionStatus {
  topic: string;
  partition: number;
  appliedOffset: number;
  highWatermark: number;
  lagMs: number;
  updatedAt: string;
}

/**
 * A partition whose log went back before what was applied from it, kept refused until an operator
 * clears it once Kafka's data is whole (README, Known limits): the decider, or the projector for the
 * served generation or the pending rebuild, will not read it meanwhile.
 */
export interface LogRefusalStatus {
  by: 'decider' | 'projector';
  /** The projector's generation suffix; null for the decider. */
  generation: string | null;
  /** `topic/partition`. */
  partition: string;
  reason: string;
}

export interface CustomerRebuildStatus {
  tenantId: string;
  customerId: string;
  state: CustomerRebuildState;
  requestedAt: string;
  finishedAt: string | null;
  /** Events re-applied, once done. */
  applied: number | null;
  error: string | null;
}

/** How many of the latest customer rebuilds the console lists. */
const CUSTOMER_REBUILDS_SHOWN = 10;

export interface OpsStatus {
  at: string;
  readModels: {
    /** Collection-name suffix of the generation being served; '' is the first one. */
    generation: string;
    /**
     * The derivation that built it (null: begun before formats were recorded) and this release's:
     * when they differ, the documents are served as they are until a rebuild.
     */
    format: { builtBy: number | null; thisRelease: number };
    pendingRebuild: { suffix: string; partitions: PartitionStatus[] } | null;
    parkedEvents: number;
    logRefusals: LogRefusalStatus[];
    /** The projector process holding the writer lease, null when none does (see writer-lease.ts). */
    writer: string | null;
    /** The latest `pnpm replay --customer` requests, newest first. */
    customerRebuilds: CustomerRebuildStatus[];
  };
  projection: {
    maxLagMs: number;
    /** How long what ingest accepted has waited to become events (0 when caught up or unknown). */
    deciderLagMs: number;
    partitions: PartitionStatus[];
  };
  tenants: TenantStatus[];
}

const iso = (ms: number) => new Date(ms).toISOString();

const groupBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
};

function resourceSync({ cursor }: SyncCursorDoc): ResourceSync {
  const { backfill, lastError } = cursor;
  return {
    resource: cursor.resource,
    phase: syncPhaseOf(cursor),
    backfill: {
      done: backfill.done,
      fetched: backfill.fetched,
      total: backfill.total,
      reachedBack: backfill.done ? null : iso(backfill.keyset.bound),
    },
    cursor: iso(cursor.cursorMs),
    catchUp: cursor.catchUp
      ? {
          from: iso(cursor.catchUp.fromMs),
          reached: iso(cursor.catchUp.keyset.bound),
          until: iso(cursor.catchUp.untilMs),
        }
      : null,
    lastPollFinishedAt: cursor.lastPollFinishedAtMs === null ? null : iso(cursor.lastPollFinishedAtMs),
    lastError: lastError && { code: lastError.code, message: lastError.message, at: iso(lastError.atMs) },
    lastSweep: cursor.lastSweep
      ? {
          finishedAt: iso(cursor.lastSweep.finishedAtMs),
          deleted: cursor.lastSweep.deleted,
          error: cursor.lastSweep.error ?? null,
        }
      : null,
  };
}

async function partitionsOf(
  db: Db,
  suffix: string,
  nowMs: number,
  logEnds: LogEnds | undefined,
): Promise<PartitionStatus[]> {
  const docs = await progressCollection(db, suffix).find({}).toArray();
  return withUnstarted(docs, logEnds)
    .map((doc) => {
      const log = logEnds?.viewOf(doc._id, doc.appliedOffset);
      return {
        topic: doc.topic,
        partition: doc.partition,
        appliedOffset: doc.appliedOffset,
        highWatermark: knownLogEnd(doc, log),
        lagMs: partitionLagMs(doc, nowMs, log),
        updatedAt: doc.updatedAt,
      };
    })
    .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

/** The decider's kept refusals, then the projector's for each generation. */
async function refusedPartitions(db: Db, generations: string[]): Promise<LogRefusalStatus[]> {
  const decider = await db
    .collection<RawMarkDoc>('ingest_raw_marks')
    .find({ refused: { $exists: true } })
    .toArray();
  const refusals: LogRefusalStatus[] = decider.flatMap(({ _id, refused }) =>
    typeof refused === 'string'
      ? [{ by: 'decider' as const, generation: null, partition: _id, reason: refused }]
      : [],
  );
  for (const generation of generations)
    for (const { _id, reason } of await db
      .collection<LogRefusalDoc>(collectionsFor(generation).logRefusals)
      .find({})
      .toArray())
      refusals.push({ by: 'projector', generation, partition: _id, reason });
  return refusals;
}

/**
 * Everything the ops console shows, read from the store only: what another service knows
 * but has not written down (live request counters, unflushed webhook counts) is not here.
 */
export async function readOpsStatus(
  db: Db,
  logEnds?: LogEnds,
  decider?: Pick<DeciderLag, 'lagMs'>,
): Promise<OpsStatus> {
  const nowMs = Date.now();
  const [generation, rebuild] = await Promise.all([currentGeneration(db), pendingRebuild(db)]);
  const [
    tenantDocs,
    cursors,
    leases,
    webhookCounts,
    partitions,
    rebuildPartitions,
    parkedEvents,
    writer,
    customerRebuilds,
    builtBy,
    logRefusals,
  ] = await Promise.all([
    db.collection<TenantDoc>('tenants').find({}, { projection: TENANT_FIELDS }).sort({ _id: 1 }).toArray(),
    db.collection<SyncCursorDoc>('sync_cursors').find({}).toArray(),
    db.collection<LeaseDoc>('polling_leases').find({}).toArray(),
    db.collection<WebhookCountsDoc>('webhook_counts').find({}).toArray(),
    partitionsOf(db, generation, nowMs, logEnds),
    rebuild === null ? null : partitionsOf(db, rebuild, nowMs, logEnds),
    db.collection(collectionsFor(generation).parkedEvents).countDocuments(),
    db.collection<LeaseDoc>('projector_leases').findOne({ _id: 'live' }),
    db
      .collection<CustomerRebuildRequest>(CUSTOMER_REBUILDS)
      .find({})
      .sort({ requestedAt: -1 })
      .limit(CUSTOMER_REBUILDS_SHOWN)
      .toArray(),
    formatOf(db, generation),
    refusedPartitions(db, rebuild === null ? [generation] : [generation, rebuild]),
  ]);
  const cursorsOf = groupBy(cursors, (doc) => doc.cursor.tenantId);
  const webhooksOf = groupBy(webhookCounts, (doc) => doc.tenantId);
  const leaseOf = new Map(leases.map((lease) => [lease._id, lease]));
  const commandCounts = await createCommandStore(db).countsByTenant();

  const tenants = tenantDocs.map((doc): TenantStatus => {
    const lease = leaseOf.get(doc._id);
    return {
      tenantId: doc._id,
      haravanOrgId: doc.haravanOrgId,
      haravanApiBaseUrl: doc.haravanApiBaseUrl,
      revenuePolicy: doc.revenuePolicy ?? 'as-written',
      createdAt: doc.createdAt.toISOString(),
      uninstalledAt: doc.uninstalledAt?.toISOString() ?? null,
      credentialsRefusedAt: doc.credentialsRefusedAt?.toISOString() ?? null,
      polledBy: lease && lease.expiresAt >= nowMs ? lease.holder : null,
      sync: (cursorsOf.get(doc._id) ?? [])
        .map(resourceSync)
        .sort((a, b) => a.resource.localeCompare(b.resource)),
      webhooks: tallyWebhooks(webhooksOf.get(doc._id) ?? []),
      commands: commandCounts.get(doc._id) ?? noCommands(),
    };
  });

  return {
    at: iso(nowMs),
    readModels: {
      generation,
      format: { builtBy, thisRelease: READ_MODEL_FORMAT },
      pendingRebuild: rebuild === null ? null : { suffix: rebuild, partitions: rebuildPartitions ?? [] },
      parkedEvents,
      logRefusals,
      writer: writer && writer.expiresAt >= nowMs ? writer.holder : null,
      customerRebuilds: customerRebuilds.map((r) => ({
        tenantId: r.tenantId,
        customerId: r.customerId,
        state: r.state,
        requestedAt: r.requestedAt.toISOString(),
        finishedAt: r.finishedAt?.toISOString() ?? null,
        applied: r.applied ?? null,
        error: r.error ?? null,
      })),
    },
    projection: {
      maxLagMs: Math.max(0, ...partitions.map((p) => p.lagMs)),
      deciderLagMs: decider?.lagMs(nowMs) ?? 0,
      partitions,
    },
    tenants,
  };
}

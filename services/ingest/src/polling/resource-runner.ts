import { AppError, err, ok, type Result } from '@cdp/contracts';
import type { Logger } from '@cdp/logging';
import { resourceIdOf } from '../haravan/resource-id';
import { timestampMs } from '../haravan/timestamp';
import type { Tenant } from '../tenants/tenant-store';
import type { RawLog } from '../webhook/raw-log';
import type { RawRecord } from '../webhook/raw-record';
import type { KnownAggregates } from '../worker/known-aggregates';
import type { CursorStore } from './cursor-store';
import { createDeletionSweep, type DeletionSweep } from './deletion-sweep';
import type { HaravanClient, Query } from './haravan-client';
import type { HaravanClock } from './haravan-clock';
import type { CatchUp, KeysetState, PolledResource, SyncCursor, SyncError } from '@cdp/contracts';
import { keysetAdvance, keysetPage, type Direction, type KeysetStep } from './keyset';
import {
  DEFAULT_MAX_POLL_SPAN_MS,
  DEFAULT_SWEEP_INTERVAL_MS,
  DEFAULT_SWEEP_MAX_DELETIONS,
  type PollingConfig,
} from './polling-config';
import { fitsRawTopic, polledRecord } from './polled-record';
import { RESOURCE_SPECS } from './resources';
import type { ShopIdentity } from './shop-identity';
import { sleep } from './sleep';
import { backfillAgain, freshCursor } from './sync-cursor';
import {
  catchUpBefore,
  cursorAfterPage,
  cursorAfterPoll,
  incrementalWindow,
  pollSpanMs,
} from './sync-window';

export interface ResourceRunnerDeps {
  tenant: Tenant;
  resource: PolledResource;
  client: HaravanClient;
  /** The shop's clock: windows and cursors are in Haravan's time, schedules in the host's. */
  clock: HaravanClock;
  identity: ShopIdentity;
  rawLog: RawLog;
  cursors: CursorStore;
  known: KnownAggregates;
  config: PollingConfig;
  log: Logger;
  now: () => number;
  signal: AbortSignal;
}

export interface ResourceRunner {
  /** Backfills, then polls on its interval, until the signal aborts; never rejects. */
  run(): Promise<void>;
  cursor(): SyncCursor | null;
  /** Why the cursor could not be loaded yet (Haravan or the store unreachable); null once it is. */
  loadError(): SyncError | null;
  /** Records appended to the raw topic by this runner (backfill and polls). */
  appended(): number;
}

const iso = (ms: number) => new Date(ms).toISOString();
/** A thrown AppError as it is; anything else (a store error, a bug) under `code`, to be tried again. */
const asAppError = (error: unknown, code: string): AppError =>
  error instanceof AppError
    ? error
    : new AppError(code, error instanceof Error ? error.message : String(error), true);
/** How often a deletion sweep lists every id even when the counts agree. */
const FULL_LISTING_EVERY_MS = 24 * 3_600_000;
// As the decider reads it: a walk reading zone-less or `+07` stamps otherwise would place its pages hours off.
const stampOf = (record: Record<string, unknown>): number | null => timestampMs(record['updated_at']);

/**
 * One resource of one shop. Backfill pages go newest first; an incremental poll takes over
 * whenever it is due, so order status stays fresh (R5) during a long backfill, and during the
 * catch-up after an outage, whose pages come before the backfill's. Every page is in
 * the raw topic before the cursor moves past it, so a crash re-reads at most one page.
 */
export function createResourceRunner(deps: ResourceRunnerDeps): ResourceRunner {
  const { tenant, resource, client, config, now, signal } = deps;
  const spec = RESOURCE_SPECS[resource];
  const interval = config.intervalsMs[resource];
  const sweepInterval = config.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  const maxPollSpan = pollSpanMs(config.maxPollSpanMs ?? DEFAULT_MAX_POLL_SPAN_MS, interval);
  const log = deps.log.child({ tenantId: tenant.tenantId, resource });
  let cursor: SyncCursor | null = null;
  let loadError: SyncError | null = null;
  let appended = 0;

  async function fetchPage(
    keyset: KeysetState,
    direction: Direction,
    limit: number | undefined,
  ): Promise<Result<{ next: KeysetStep; count: number }>> {
    const window = keysetPage(keyset, direction, limit);
    const query: Query = {
      ...spec.baseQuery,
      limit: config.pageSize,
      page: window.page,
      order: `updated_at ${direction}`,
    };
    if (window.min !== undefined) query['updated_at_min'] = iso(window.min);
    if (window.max !== undefined) query['updated_at_max'] = iso(window.max);
    const listed = await client.list(resource, query);
    if (!listed.ok) return listed;
    const receivedAt = iso(now());
    const records: RawRecord[] = [];
    for (const record of listed.value) {
      const id = resourceIdOf(record);
      if (id === null) {
        log.warn('listed record without an id skipped');
        continue;
      }
      const polled = polledRecord(tenant, spec, id, record, 'poll', receivedAt);
      // Kafka would refuse it on every try, and the walk would never get past it.
      if (!fitsRawTopic(polled, log)) continue;
      records.push(polled);
    }
    if (records.length > 0) await deps.rawLog.append(records);
    appended += records.length;
    const next = keysetAdvance(keyset, listed.value.map(stampOf), {
      direction,
      pageSize: config.pageSize,
      limit,
      sorts: spec.sorts,
    });
    return ok({ next, count: next.counted });
  }

  async function backfillPage(current: SyncCursor): Promise<Result<void>> {
    const { backfill } = current;
    let total = backfill.total;
    if (total === null) {
      const counted = await client.count(resource, {
        ...spec.baseQuery,
        updated_at_max: iso(backfill.keyset.bound),
      });
      if (!counted.ok) return counted;
      total = counted.value;
    }
    const page = await fetchPage(backfill.keyset, 'desc', undefined);
    if (!page.ok) return page;
    const { state, done } = page.value.next;
    current.backfill = {
      ...backfill,
      keyset: state,
      done,
      finishedAtMs: done ? now() : null,
      fetched: backfill.fetched + page.value.count,
      pages: backfill.pages + 1,
      total,
    };
    current.lastError = null;
    await deps.cursors.save(current);
    if (done) {
      const { fetched, pages } = current.backfill;
      // Each record is counted once: fewer than Haravan counted means records were missed, unless
      // they were deleted (or changed, which the polls bring) during the backfill.
      if (fetched < total)
        log.warn(
          { code: 'ERR_HARAVAN_BACKFILL_SHORT', fetched, total },
          'backfill fetched fewer than Haravan counted',
        );
      else log.info({ fetched, pages }, 'backfill done');
    }
    return ok(undefined);
  }

  async function catchUpPage(current: SyncCursor, catchUp: CatchUp): Promise<Result<void>> {
    const page = await fetchPage(catchUp.keyset, 'asc', catchUp.untilMs);
    if (!page.ok) return page;
    const { state, done } = page.value.next;
    current.catchUp = done ? null : { ...catchUp, keyset: state, pages: catchUp.pages + 1 };
    current.lastError = null;
    await deps.cursors.save(current);
    if (done) log.info({ from: iso(catchUp.fromMs), until: iso(catchUp.untilMs) }, 'caught up');
    return ok(undefined);
  }

  async function poll(current: SyncCursor): Promise<Result<void>> {
    current.lastPollStartedAtMs = now();
    const startedAt = deps.clock.now();
    const catchUp = catchUpBefore(
      current.cursorMs,
      startedAt,
      maxPollSpan,
      config.overlapMs,
      current.catchUp ?? null,
    );
    if (catchUp) {
      // Stored with the cursor in one write: the gap is never lost to a crash.
      current.catchUp = catchUp;
      current.cursorMs = catchUp.untilMs;
      await deps.cursors.save(current);
      log.info(
        { from: iso(catchUp.fromMs), until: iso(catchUp.untilMs) },
        'catching up on changes older than a poll reads, between polls',
      );
    }
    const window = incrementalWindow(current.cursorMs, startedAt, config.overlapMs);
    let keyset: KeysetState = { bound: window.min, tie: null };
    for (;;) {
      if (signal.aborted) return err(new AppError('ERR_HARAVAN_ABORTED', 'polling stopped', true));
      const page = await fetchPage(keyset, 'asc', window.max);
      if (!page.ok) return page;
      const { state, done } = page.value.next;
      if (done) {
        current.cursorMs = cursorAfterPoll(current.cursorMs, startedAt);
        current.lastPollFinishedAtMs = now();
        current.lastError = null;
        await deps.cursors.save(current);
        return ok(undefined);
      }
      keyset = state;
      current.cursorMs = cursorAfterPage(current.cursorMs, state.bound, startedAt);
      await deps.cursors.save(current);
    }
  }

  let sweep: DeletionSweep | null = null;

  /**
   * The running sweep's next request. A sweep that fails is given up and recorded, and the next
   * runs an interval later: it is a safety net, and polls must not wait on its retries.
   */
  async function sweepStep(current: SyncCursor, nextPollAtMs: number): Promise<Result<void>> {
    const previous = current.lastSweep;
    sweep ??= createDeletionSweep({
      ...deps,
      pageSize: config.pageSize,
      mustList: now() - (previous?.listedAtMs ?? 0) >= FULL_LISTING_EVERY_MS,
      maxDeletions: config.sweepMaxDeletions ?? DEFAULT_SWEEP_MAX_DELETIONS,
      log,
    });
    const stepped = await sweep
      .step(nextPollAtMs)
      .catch((error: unknown) => err(asAppError(error, 'ERR_SWEEP_INTERNAL')));
    if (stepped.ok && !stepped.value.done) return ok(undefined);
    sweep = null;
    if (!stepped.ok && signal.aborted) return stepped;
    const listedAtMs = stepped.ok && stepped.value.listed ? now() : (previous?.listedAtMs ?? null);
    current.lastSweep = stepped.ok
      ? { finishedAtMs: now(), deleted: stepped.value.deleted, listedAtMs, error: null }
      : {
          finishedAtMs: now(),
          deleted: 0,
          listedAtMs,
          error: { code: stepped.error.code, message: stepped.error.message },
        };
    await deps.cursors.save(current);
    if (!stepped.ok)
      log.error({ code: stepped.error.code, message: stepped.error.message }, 'deletion sweep failed');
    else if (stepped.value.deleted > 0)
      log.info({ deleted: stepped.value.deleted }, 'deletion sweep filed deletions the webhooks missed');
    return ok(undefined);
  }

  async function step(current: SyncCursor, nextPollAt: { ms: number }): Promise<Result<void>> {
    // Another shop's records would be filed as the tenant's, and a sweep would file deletions of
    // the tenant's own records, not found there.
    const confirmed = await deps.identity.confirm();
    if (!confirmed.ok) return confirmed;
    const t = now();
    // A clock set back (NTP stepping a host that ran ahead) would put the next poll as far off.
    nextPollAt.ms = Math.min(nextPollAt.ms, t + interval);
    if (t >= nextPollAt.ms) {
      nextPollAt.ms = t + interval;
      return poll(current);
    }
    if (current.catchUp) return catchUpPage(current, current.catchUp);
    if (!current.backfill.done) return backfillPage(current);
    // A backfill has just read everything, so the first sweep is due an interval after it.
    const sweepAt = (current.lastSweep?.finishedAtMs ?? current.backfill.finishedAtMs ?? 0) + sweepInterval;
    if (sweep !== null || t >= sweepAt) return sweepStep(current, nextPollAt.ms);
    await sleep(Math.min(nextPollAt.ms, sweepAt) - t, signal);
    return ok(undefined);
  }

  /** The stored cursor, tried again after each failure until the signal aborts (then null). */
  async function loadCursor(): Promise<SyncCursor | null> {
    while (!signal.aborted) {
      try {
        // Cursors are in Haravan's time, which an answer tells first: a new one starts at it, and
        // one stored ahead of it (written in the host's time by an earlier version, on a host
        // running ahead) is taken back by how far the host runs ahead.
        if (!deps.clock.known()) {
          const counted = await client.count(resource, spec.baseQuery);
          if (!counted.ok) throw counted.error;
          // Answered, but without a Date header (a proxy drops it): polling would otherwise never
          // start. The host's time stands in (an error page's lack of one proves nothing).
          if (!deps.clock.known())
            log.warn("Haravan's answer has no Date header: its clock is taken as this host's");
        }
        let loaded = await deps.cursors.loadOrCreate(
          freshCursor(tenant.tenantId, resource, deps.clock.now()),
        );
        if (loaded.cursorMs > deps.clock.now())
          loaded = {
            ...loaded,
            cursorMs: Math.min(deps.clock.now(), loaded.cursorMs - deps.clock.aheadMs()),
          };
        const again = backfillAgain(loaded, spec.sorts, deps.clock.now());
        if (again) {
          log.info('backfilling again: an earlier walk could skip records of this unsorted list');
          loaded = again;
          await deps.cursors.save(loaded);
        }
        cursor = loaded;
        loadError = null;
        return loaded;
      } catch (error) {
        log.warn({ err: error }, 'sync cursor not loaded; will retry');
        // Shown in the status, which has no cursor to show it in yet.
        const { code, message } = asAppError(error, 'ERR_SYNC_CURSOR_NOT_LOADED');
        loadError = { code, message, atMs: now() };
        await sleep(config.failureDelayMs, signal);
      }
    }
    return null;
  }

  return {
    async run() {
      const current = await loadCursor();
      if (!current) return;
      const nextPollAt = {
        ms: current.lastPollStartedAtMs === null ? now() : current.lastPollStartedAtMs + interval,
      };
      while (!signal.aborted) {
        let outcome: Result<void>;
        try {
          outcome = await step(current, nextPollAt);
        } catch (error) {
          outcome = err(asAppError(error, 'ERR_POLL_INTERNAL'));
        }
        if (outcome.ok || signal.aborted) continue;
        const { code, message } = outcome.error;
        log.warn({ code, message }, 'sync step failed; will retry');
        current.lastError = { code, message, atMs: now() };
        await deps.cursors.save(current).catch(() => undefined);
        await sleep(config.failureDelayMs, signal);
      }
    },
    cursor: () => cursor,
    loadError: () => loadError,
    appended: () => appended,
  };
}

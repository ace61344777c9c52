import { AppError, err, ok, type Result } from '@cdp/contracts';
import type { Logger } from '@cdp/logging';
import { resourceIdOf } from '../haravan/resource-id';
import type { Tenant } from '../tenants/tenant-store';
import type { RawLog } from '../webhook/raw-log';
import { takesBackDeletion } from '../deciding/decide';
import type { RawRecord } from '../webhook/raw-record';
import type { KnownAggregates, KnownIds } from '../worker/known-aggregates';
import type { HaravanClient } from './haravan-client';
import type { PolledResource } from '@cdp/contracts';
import { fitsRawTopic, polledRecord } from './polled-record';
import { RESOURCE_SPECS } from './resources';
import { within } from './sleep';

export interface DeletionSweepDeps {
  tenant: Tenant;
  resource: PolledResource;
  client: HaravanClient;
  rawLog: RawLog;
  known: KnownAggregates;
  pageSize: number;
  /** List every id even when the counts agree (see {@link createDeletionSweep}). */
  mustList: boolean;
  /**
   * More records than this answering 404 in one sweep files none of them
   * (ERR_SWEEP_TOO_MANY_DELETIONS); as many deleted ones the shop still shows, none of those
   * (ERR_SWEEP_TOO_MANY_REVIVALS).
   */
  maxDeletions: number;
  now: () => number;
  log: Logger;
  signal: AbortSignal;
}

export interface SweepStep {
  done: boolean;
  /** Deletions filed by this sweep. */
  deleted: number;
  /** Whether it listed every id of the shop. */
  listed: boolean;
}

export interface DeletionSweep {
  /**
   * One request's worth of the sweep. Returns by `deadlineMs` (when the next poll is due) even
   * while the store is still reading the known ids. A failed step fails the sweep.
   */
  step(deadlineMs: number): Promise<Result<SweepStep>>;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

type Phase =
  | { kind: 'scanning'; scan: Promise<Settled<KnownIds>> | null }
  | { kind: 'counting'; known: KnownIds }
  /**
   * `unlisted`: the live ids the shop's list has not shown yet; `shown`: ids deleted long enough ago
   * that the list shows all the same.
   */
  | { kind: 'listing'; unlisted: Set<string>; deletedLongAgo: Set<string>; shown: Set<string>; page: number }
  /** Each check a GET: of a live id the list missed (`deleted: false`), or of a deleted one it showed. */
  | {
      kind: 'confirming';
      checks: { id: string; deleted: boolean }[];
      next: number;
      gone: string[];
      revived: RawRecord[];
    };

/**
 * Finds what the shop deleted while the deletion webhook was lost: polling by `updated_at` never
 * sees a deletion. When the shop counts at least as many records as the decider knows alive, it
 * stops there, unless `mustList`: a record created since the decider last looked hides one deleted
 * in the count, so a busy shop must be listed now and then whatever the counts say.
 *
 * Listing reads every id; each known id missing from the list is confirmed with its own GET, and
 * only a 404 counts, because a page-numbered list shifts while the shop changes. A deletion is
 * final, so the 404s are filed only once all are known, and none when they are more than
 * `maxDeletions`: that many at once more likely means an API that hides records than a merchant
 * who deleted them. Each step makes one request, so the shop's polls keep their turn in between.
 *
 * The listing also shows records the decider holds deleted: one deleted over an hour ago that the
 * list still shows and its own GET reads is filed as the shop has it (source `sweep`), and the
 * decider takes the deletion back (decide's revival). Haravan signs a webhook's body, not its
 * topic, so a delivery's body re-posted under `…/delete` is the likely cause.
 */
export function createDeletionSweep(deps: DeletionSweepDeps): DeletionSweep {
  const { tenant, resource, client } = deps;
  const spec = RESOURCE_SPECS[resource];
  let phase: Phase = { kind: 'scanning', scan: null };
  let listed = false;
  const going = (): Result<SweepStep> => ok({ done: false, deleted: 0, listed });
  const finished = (deleted: number): Result<SweepStep> => ok({ done: true, deleted, listed });

  async function scan(current: Extract<Phase, { kind: 'scanning' }>, deadlineMs: number) {
    current.scan ??= deps.known.ids(tenant.tenantId, spec.singular, deps.signal).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const scanned = await within(current.scan, deadlineMs - deps.now(), deps.signal);
    if (scanned === undefined) return going();
    if (!scanned.ok) {
      const { error } = scanned;
      return err(
        error instanceof AppError
          ? error
          : new AppError('ERR_SWEEP_KNOWN_IDS', `cannot read the known ids: ${String(error)}`, true),
      );
    }
    // Known first: a record created between the two reads then only makes the shop's count larger.
    phase = { kind: 'counting', known: scanned.value };
    return going();
  }

  async function count(current: Extract<Phase, { kind: 'counting' }>): Promise<Result<SweepStep>> {
    if (!deps.mustList) {
      const counted = await client.count(resource, spec.baseQuery);
      if (!counted.ok) return counted;
      if (counted.value >= current.known.live.size) return finished(0);
    }
    const deletedLongAgo = new Set(
      [...current.known.deleted].filter(([, at]) => takesBackDeletion(at, deps.now())).map(([id]) => id),
    );
    // A set: a page-numbered list that shifts while the shop changes may show an id twice.
    phase = { kind: 'listing', unlisted: current.known.live, deletedLongAgo, shown: new Set(), page: 1 };
    return going();
  }

  async function list(current: Extract<Phase, { kind: 'listing' }>): Promise<Result<SweepStep>> {
    const page = await client.list(resource, {
      ...spec.baseQuery,
      fields: 'id',
      // Oldest first, so records the shop creates meanwhile come last instead of shifting the pages
      // (Haravan documents sorting orders by created_at or updated_at only; other lists ignore it).
      order: 'created_at asc',
      limit: deps.pageSize,
      page: current.page,
    });
    if (!page.ok) return page;
    for (const record of page.value) {
      const id = resourceIdOf(record);
      if (id === null) continue;
      current.unlisted.delete(id);
      if (current.deletedLongAgo.has(id)) current.shown.add(id);
    }
    if (page.value.length >= deps.pageSize) {
      current.page += 1;
      return going();
    }
    listed = true;
    const checks = [
      ...[...current.unlisted].map((id) => ({ id, deleted: false })),
      ...[...current.shown].map((id) => ({ id, deleted: true })),
    ];
    deps.log.info(
      { pages: current.page, candidates: current.unlisted.size, shown: current.shown.size },
      'deletion sweep: known records missing from the shop list, and deleted ones it shows; confirming each',
    );
    phase = { kind: 'confirming', checks, next: 0, gone: [], revived: [] };
    return checks.length === 0 ? finished(0) : going();
  }

  /** A deleted record the shop's own GET answers: filed for the decider to take the deletion back. */
  const revival = (id: string, record: Record<string, unknown>): RawRecord =>
    polledRecord(tenant, spec, id, record, 'sweep', new Date(deps.now()).toISOString());

  async function confirm(current: Extract<Phase, { kind: 'confirming' }>): Promise<Result<SweepStep>> {
    const check = current.checks[current.next];
    if (check !== undefined) {
      const found = await client.get(resource, check.id);
      if (!found.ok) return found;
      if (!check.deleted && found.value === null) current.gone.push(check.id);
      if (check.deleted && found.value !== null) {
        const revived = revival(check.id, found.value);
        if (fitsRawTopic(revived, deps.log)) current.revived.push(revived);
      }
      current.next += 1;
      if (current.next < current.checks.length) return going();
    }
    // Each side within its own bound: too many of one files none of those, and the other still.
    if (current.revived.length > deps.maxDeletions)
      deps.log.error(
        { code: 'ERR_SWEEP_TOO_MANY_REVIVALS', resource, count: current.revived.length },
        `${current.revived.length} ${resource} deleted over an hour ago are still listed and read by the shop, more than the ${deps.maxDeletions} one sweep may take back; none taken back`,
      );
    else if (current.revived.length > 0) {
      // The shop contradicts deletions: most likely a delete webhook whose body was re-posted under another topic.
      deps.log.warn(
        { resource, ids: current.revived.map((r) => r.key) },
        'deletion sweep: deleted records the shop still has are taken back',
      );
      await deps.rawLog.append(current.revived);
    }
    if (current.gone.length > deps.maxDeletions)
      return err(
        new AppError(
          'ERR_SWEEP_TOO_MANY_DELETIONS',
          `${current.gone.length} known ${resource} answer 404, more than the ${deps.maxDeletions} one sweep may delete; none filed (raise DELETION_SWEEP_MAX_DELETIONS if the shop did delete them)`,
          false,
        ),
      );
    const receivedAt = new Date(deps.now()).toISOString();
    if (current.gone.length > 0)
      await deps.rawLog.append(
        current.gone.map((goneId) => ({
          key: `${tenant.tenantId}:${spec.singular}:${goneId}`,
          body: Buffer.from(JSON.stringify({ id: Number(goneId) })),
          tenantId: tenant.tenantId,
          haravanTopic: spec.deletionTopic,
          orgId: tenant.haravanOrgId,
          source: 'poll' as const,
          receivedAt,
        })),
      );
    return finished(current.gone.length);
  }

  return {
    step(deadlineMs) {
      switch (phase.kind) {
        case 'scanning':
          return scan(phase, deadlineMs);
        case 'counting':
          return count(phase);
        case 'listing':
          return list(phase);
        case 'confirming':
          return confirm(phase);
      }
    },
  };
}

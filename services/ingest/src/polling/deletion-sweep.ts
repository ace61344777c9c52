import { AppError, err, ok, type Result } from '@cdp/contracts';
import type { Logger } from '@cdp/logging';
import { resourceIdOf } from '../haravan/resource-id';
import type { Tenant } from '../tenants/tenant-store';
import type { RawLog } from '../webhook/raw-log';
import type { KnownAggregates } from '../worker/known-aggregates';
import type { HaravanClient } from './haravan-client';
import type { PolledResource } from '@cdp/contracts';
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
  /** More records than this answering 404 in one sweep files none of them: ERR_SWEEP_TOO_MANY_DELETIONS. */
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
  | { kind: 'scanning'; scan: Promise<Settled<Set<string>>> | null }
  | { kind: 'counting'; known: Set<string> }
  /** `unlisted`: the known ids the shop's list has not shown yet. */
  | { kind: 'listing'; unlisted: Set<string>; page: number }
  | { kind: 'confirming'; candidates: string[]; next: number; gone: string[] };

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
 */
export function createDeletionSweep(deps: DeletionSweepDeps): DeletionSweep {
  const { tenant, resource, client } = deps;
  const spec = RESOURCE_SPECS[resource];
  let phase: Phase = { kind: 'scanning', scan: null };
  let listed = false;
  const going = (): Result<SweepStep> => ok({ done: false, deleted: 0, listed });
  const finished = (deleted: number): Result<SweepStep> => ok({ done: true, deleted, listed });

  async function scan(current: Extract<Phase, { kind: 'scanning' }>, deadlineMs: number) {
    current.scan ??= deps.known.liveIds(tenant.tenantId, spec.singular, deps.signal).then(
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
      if (counted.value >= current.known.size) return finished(0);
    }
    phase = { kind: 'listing', unlisted: current.known, page: 1 };
    return going();
  }

  async function list(current: Extract<Phase, { kind: 'listing' }>): Promise<Result<SweepStep>> {
    const page = await client.list(resource, {
      ...spec.baseQuery,
      fields: 'id',
      order: 'id asc',
      limit: deps.pageSize,
      page: current.page,
    });
    if (!page.ok) return page;
    for (const record of page.value) {
      const id = resourceIdOf(record);
      if (id !== null) current.unlisted.delete(id);
    }
    if (page.value.length >= deps.pageSize) {
      current.page += 1;
      return going();
    }
    listed = true;
    const candidates = [...current.unlisted];
    deps.log.info(
      { pages: current.page, candidates: candidates.length },
      'deletion sweep: known records missing from the shop list; confirming each',
    );
    phase = { kind: 'confirming', candidates, next: 0, gone: [] };
    return candidates.length === 0 ? finished(0) : going();
  }

  async function confirm(current: Extract<Phase, { kind: 'confirming' }>): Promise<Result<SweepStep>> {
    const id = current.candidates[current.next];
    if (id !== undefined) {
      const found = await client.get(resource, id);
      if (!found.ok) return found;
      if (found.value === null) current.gone.push(id);
      current.next += 1;
      if (current.next < current.candidates.length) return going();
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

import { AppError, err, ok, type Result } from '@cdp/contracts';
import type { Logger } from '@cdp/logging';
import { resourceIdOf } from '../haravan/resource-id';
import type { Tenant } from '../tenants/tenant-store';
import type { RawLog } from '../webhook/raw-log';
import type { KnownAggregates } from '../worker/known-aggregates';
import type { HaravanClient } from './haravan-client';
import { RESOURCE_SPECS, type PolledResource } from './resources';
import { within } from './sleep';

export interface DeletionSweepDeps {
  tenant: Tenant;
  resource: PolledResource;
  client: HaravanClient;
  rawLog: RawLog;
  known: KnownAggregates;
  pageSize: number;
  now: () => number;
  log: Logger;
  signal: AbortSignal;
}

export interface SweepStep {
  done: boolean;
  /** Deletions filed by this sweep so far. */
  deleted: number;
}

export interface DeletionSweep {
  /**
   * One request's worth of the sweep; a failed step is tried again from where it stopped. Returns
   * by `deadlineMs` (when the next poll is due) even while the store is still reading the known ids.
   */
  step(deadlineMs: number): Promise<Result<SweepStep>>;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

type Phase =
  | { kind: 'scanning'; scan: Promise<Settled<Set<string>>> | null }
  | { kind: 'counting'; known: Set<string> }
  | { kind: 'listing'; known: Set<string>; listed: Set<string>; page: number }
  | { kind: 'confirming'; candidates: string[]; next: number };

/**
 * Finds what the shop deleted while the deletion webhook was lost: polling by `updated_at` never
 * sees a deletion. It costs one count when the shop has at least as many records as the decider
 * knows alive. Otherwise it lists every id and confirms each known id missing from the list with
 * its own GET; only a 404 files a deletion, because a page-numbered list shifts while the shop
 * changes, and a missing id proves nothing by itself. Each step makes one request, so the shop's
 * polls keep their turn in between.
 */
export function createDeletionSweep(deps: DeletionSweepDeps): DeletionSweep {
  const { tenant, resource, client } = deps;
  const spec = RESOURCE_SPECS[resource];
  let phase: Phase = { kind: 'scanning', scan: null };
  let deleted = 0;
  const finished = (): Result<SweepStep> => ok({ done: true, deleted });
  const going = (): Result<SweepStep> => ok({ done: false, deleted });

  /**
   * The known ids come from a scan of the decider's memory, which takes FerretDB seconds per ten
   * thousand aggregates: it goes on in the background while polls take their turn.
   */
  async function scan(current: Extract<Phase, { kind: 'scanning' }>, deadlineMs: number) {
    current.scan ??= deps.known.liveIds(tenant.tenantId, spec.singular).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const scanned = await within(current.scan, deadlineMs - deps.now(), deps.signal);
    if (scanned === undefined) return going();
    current.scan = null;
    if (!scanned.ok)
      return err(
        new AppError('ERR_SWEEP_KNOWN_IDS', `cannot read the known ids: ${String(scanned.error)}`, true),
      );
    // Known first: a record created between the two reads then only makes the shop's count larger.
    phase = { kind: 'counting', known: scanned.value };
    return going();
  }

  async function count(current: Extract<Phase, { kind: 'counting' }>): Promise<Result<SweepStep>> {
    const counted = await client.count(resource, spec.baseQuery);
    if (!counted.ok) return counted;
    if (counted.value >= current.known.size) return finished();
    phase = { kind: 'listing', known: current.known, listed: new Set(), page: 1 };
    return going();
  }

  async function list(current: Extract<Phase, { kind: 'listing' }>): Promise<Result<SweepStep>> {
    const listed = await client.list(resource, {
      ...spec.baseQuery,
      fields: 'id',
      order: 'id asc',
      limit: deps.pageSize,
      page: current.page,
    });
    if (!listed.ok) return listed;
    for (const record of listed.value) {
      const id = resourceIdOf(record);
      if (id !== null) current.listed.add(id);
    }
    if (listed.value.length >= deps.pageSize) {
      current.page += 1;
      return going();
    }
    const candidates = [...current.known].filter((id) => !current.listed.has(id));
    deps.log.info(
      { known: current.known.size, listed: current.listed.size, candidates: candidates.length },
      'deletion sweep: known records missing from the shop list; confirming each',
    );
    phase = { kind: 'confirming', candidates, next: 0 };
    return candidates.length === 0 ? finished() : going();
  }

  async function confirm(current: Extract<Phase, { kind: 'confirming' }>): Promise<Result<SweepStep>> {
    const id = current.candidates[current.next];
    if (id === undefined) return finished();
    const found = await client.get(resource, id);
    if (!found.ok) return found;
    if (found.value === null) {
      await deps.rawLog.append([
        {
          key: `${tenant.tenantId}:${spec.singular}:${id}`,
          body: Buffer.from(JSON.stringify({ id: Number(id) })),
          tenantId: tenant.tenantId,
          haravanTopic: spec.deletionTopic,
          orgId: tenant.haravanOrgId,
          source: 'poll',
          receivedAt: new Date(deps.now()).toISOString(),
        },
      ]);
      deleted += 1;
    }
    current.next += 1;
    return current.next < current.candidates.length ? going() : finished();
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

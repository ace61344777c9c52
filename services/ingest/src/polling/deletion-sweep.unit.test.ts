import { describe, expect, it } from 'vitest';
import { AppError, err, ok } from '@cdp/contracts';
import { createLogger } from '@cdp/logging';
import type { Tenant } from '../tenants/tenant-store';
import type { RawRecord } from '../webhook/raw-record';
import { createDeletionSweep } from './deletion-sweep';
import type { HaravanClient, Query } from './haravan-client';

const tenant: Tenant = {
  tenantId: 't1',
  haravanOrgId: '42',
  haravanApiBaseUrl: 'http://haravan.invalid',
  accessToken: 'token',
  webhookSecret: 'secret',
  webhookVerifyToken: null,
  revenuePolicy: 'as-written',
  createdAt: new Date(0),
};

/** A shop holding `ids` (sorted pages of `pageSize`); `calls` records what the sweep asked. */
function shopOf(ids: number[], opts: { failListOnce?: boolean; existsAnyway?: number[] } = {}) {
  const calls: string[] = [];
  let failList = opts.failListOnce ?? false;
  const client: HaravanClient = {
    count: () => {
      calls.push('count');
      return Promise.resolve(ok(ids.length));
    },
    list: (_resource, query: Query) => {
      calls.push(`list page ${query['page']}`);
      if (failList) {
        failList = false;
        return Promise.resolve(err(new AppError('ERR_HARAVAN_UNAVAILABLE', '503', true)));
      }
      const size = Number(query['limit']);
      const page = Number(query['page']);
      return Promise.resolve(ok(ids.slice((page - 1) * size, page * size).map((id) => ({ id }))));
    },
    get: (_resource, id) => {
      calls.push(`get ${id}`);
      const exists = ids.includes(Number(id)) || (opts.existsAnyway ?? []).includes(Number(id));
      return Promise.resolve(ok(exists ? { id: Number(id) } : null));
    },
    write: () => Promise.reject(new Error('a sweep never writes')),
  };
  return { client, calls };
}

const NOW = Date.UTC(2026, 10, 30);

function sweepOf(shop: ReturnType<typeof shopOf>, liveIds: () => Promise<Set<string>>) {
  const appended: RawRecord[] = [];
  const sweep = createDeletionSweep({
    tenant,
    resource: 'orders',
    client: shop.client,
    rawLog: {
      append: (records) => Promise.resolve(void appended.push(...records)),
      close: () => Promise.resolve(),
    },
    known: { liveIds },
    pageSize: 2,
    now: () => NOW,
    log: createLogger('sweep-test', 'silent'),
    signal: new AbortController().signal,
  });
  return { sweep, appended };
}

async function sweepToEnd(shop: ReturnType<typeof shopOf>, known: string[]) {
  const { sweep, appended } = sweepOf(shop, () => Promise.resolve(new Set(known)));
  const failures: string[] = [];
  for (let i = 0; i < 50; i++) {
    const stepped = await sweep.step(NOW + 60_000);
    if (!stepped.ok) {
      failures.push(stepped.error.code);
      continue;
    }
    if (stepped.value.done) return { appended, failures, deleted: stepped.value.deleted };
  }
  throw new Error('the sweep never finished');
}

describe('the deletion sweep', () => {
  it('costs one count when the shop has every record the decider knows alive', async () => {
    const shop = shopOf([1, 2, 3]);
    const result = await sweepToEnd(shop, ['1', '2', '3']);
    expect(shop.calls).toEqual(['count']);
    expect(result.appended).toEqual([]);
  });

  it('files a deletion, as its webhook would have, for a known record the shop answers 404 for', async () => {
    const shop = shopOf([1, 3, 4, 6]);
    const result = await sweepToEnd(shop, ['1', '2', '3', '4', '6']);
    expect(shop.calls).toEqual(['count', 'list page 1', 'list page 2', 'list page 3', 'get 2']);
    expect(result.deleted).toBe(1);
    expect(result.appended).toEqual([
      {
        key: 't1:order:2',
        body: Buffer.from('{"id":2}'),
        tenantId: 't1',
        haravanTopic: 'orders/delete',
        orgId: '42',
        source: 'poll',
        receivedAt: '2026-11-30T00:00:00.000Z',
      },
    ]);
  });

  it('files nothing for a record missing from the list that its own GET still finds', async () => {
    // Page-numbered lists shift while the shop changes: 5 is skipped by the list, yet it exists.
    const shop = shopOf([1, 3], { existsAnyway: [5] });
    const result = await sweepToEnd(shop, ['1', '3', '5']);
    expect(shop.calls.at(-1)).toBe('get 5');
    expect(result.appended).toEqual([]);
  });

  it('gives the turn back by the deadline while the store is still reading the known ids', async () => {
    const shop = shopOf([1]);
    let scans = 0;
    let release: (ids: Set<string>) => void = () => undefined;
    const { sweep } = sweepOf(shop, () => {
      scans += 1;
      return new Promise((resolve) => (release = resolve));
    });
    expect(await sweep.step(NOW + 20)).toEqual(ok({ done: false, deleted: 0 }));
    expect(shop.calls).toEqual([]);
    release(new Set(['1']));
    expect(await sweep.step(NOW + 20)).toEqual(ok({ done: false, deleted: 0 }));
    expect(await sweep.step(NOW + 20)).toEqual(ok({ done: true, deleted: 0 }));
    expect(scans).toBe(1);
    expect(shop.calls).toEqual(['count']);
  });

  it('resumes at the page that failed instead of starting over', async () => {
    const shop = shopOf([1, 3, 4], { failListOnce: true });
    const result = await sweepToEnd(shop, ['1', '2', '3', '4']);
    expect(result.failures).toEqual(['ERR_HARAVAN_UNAVAILABLE']);
    expect(shop.calls).toEqual(['count', 'list page 1', 'list page 1', 'list page 2', 'get 2']);
    expect(result.appended.map((r) => r.key)).toEqual(['t1:order:2']);
  });
});

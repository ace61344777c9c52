import { describe, expect, it } from 'vitest';
import { AppError, err, ok } from '@cdp/contracts';
import { createLogger } from '@cdp/logging';
import type { Tenant } from '../tenants/tenant-store';
import type { RawRecord } from '../webhook/raw-record';
import { createDeletionSweep } from './deletion-sweep';
import type { KnownIds } from '../worker/known-aggregates';
import type { HaravanClient, Query } from './haravan-client';

const tenant: Tenant = {
  tenantId: 't1',
  haravanOrgId: '42',
  haravanApiBaseUrl: 'http://haravan.invalid',
  accessToken: 'token',
  webhookSecret: 'secret',
  previousWebhookSecrets: [],
  webhookVerifyToken: null,
  revenuePolicy: 'as-written',
  createdAt: new Date(0),
  apiCredentialsSetAt: new Date(0),
  uninstalledAt: null,
  credentialsRefusedAt: null,
};

/** A shop holding `ids` (sorted pages of `pageSize`); `calls` records what the sweep asked. */
function shopOf(ids: number[], opts: { existsAnyway?: number[] } = {}) {
  const calls: string[] = [];
  const client: HaravanClient = {
    count: () => {
      calls.push('count');
      return Promise.resolve(ok(ids.length));
    },
    list: (_resource, query: Query) => {
      calls.push(`list page ${query['page']}`);
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
    shop: () => Promise.reject(new Error('the shop is confirmed before a sweep')),
  };
  return { client, calls };
}

const NOW = Date.UTC(2026, 10, 30);

function sweepOf(
  shop: ReturnType<typeof shopOf>,
  ids: () => Promise<KnownIds>,
  opts: { mustList?: boolean; maxDeletions?: number } = {},
) {
  const appended: RawRecord[] = [];
  const sweep = createDeletionSweep({
    tenant,
    resource: 'orders',
    client: shop.client,
    rawLog: {
      append: (records) => Promise.resolve(void appended.push(...records)),
      close: () => Promise.resolve(),
    },
    known: { ids },
    pageSize: 2,
    mustList: opts.mustList ?? false,
    maxDeletions: opts.maxDeletions ?? 10,
    now: () => NOW,
    log: createLogger('sweep-test', 'silent'),
    signal: new AbortController().signal,
  });
  return { sweep, appended };
}

async function sweepToEnd(
  shop: ReturnType<typeof shopOf>,
  known: string[],
  opts: { mustList?: boolean; maxDeletions?: number; deleted?: Record<string, string> } = {},
) {
  const ids = { live: new Set(known), deleted: new Map(Object.entries(opts.deleted ?? {})) };
  const { sweep, appended } = sweepOf(shop, () => Promise.resolve(ids), opts);
  for (let i = 0; i < 50; i++) {
    const stepped = await sweep.step(NOW + 60_000);
    if (!stepped.ok) return { appended, failure: stepped.error, deleted: 0, listed: false };
    if (stepped.value.done) return { appended, failure: null, ...stepped.value };
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
    expect(result).toMatchObject({ deleted: 1, listed: true, failure: null });
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
    let release: (ids: KnownIds) => void = () => undefined;
    const { sweep } = sweepOf(shop, () => {
      scans += 1;
      return new Promise((resolve) => (release = resolve));
    });
    const going = ok({ done: false, deleted: 0, listed: false });
    expect(await sweep.step(NOW + 20)).toEqual(going);
    expect(shop.calls).toEqual([]);
    release({ live: new Set(['1']), deleted: new Map() });
    expect(await sweep.step(NOW + 20)).toEqual(going);
    expect(await sweep.step(NOW + 20)).toEqual(ok({ done: true, deleted: 0, listed: false }));
    expect(scans).toBe(1);
    expect(shop.calls).toEqual(['count']);
  });

  it('lists every id when told to, though the counts agree: a record created since hides a deleted one', async () => {
    const shop = shopOf([1, 3, 7]);
    const result = await sweepToEnd(shop, ['1', '2', '3'], { mustList: true });
    expect(shop.calls).toEqual(['list page 1', 'list page 2', 'get 2']);
    expect(result).toMatchObject({ deleted: 1, listed: true });
    expect(result.appended.map((r) => r.key)).toEqual(['t1:order:2']);
  });

  it('files none of the 404s and says so when they are more than one sweep may delete', async () => {
    const shop = shopOf([1]);
    const result = await sweepToEnd(shop, ['1', '2', '3', '4'], { maxDeletions: 2 });
    expect(shop.calls.filter((c) => c.startsWith('get'))).toEqual(['get 2', 'get 3', 'get 4']);
    expect(result.failure?.code).toBe('ERR_SWEEP_TOO_MANY_DELETIONS');
    expect(result.failure?.retriable).toBe(false);
    expect(result.appended).toEqual([]);
  });

  it('fails, filing nothing, when the shop cannot be read', async () => {
    const shop = shopOf([1]);
    shop.client.list = () =>
      Promise.resolve(err(new AppError('ERR_HARAVAN_REJECTED', '400 bad order', false)));
    const result = await sweepToEnd(shop, ['1', '2']);
    expect(result.failure?.code).toBe('ERR_HARAVAN_REJECTED');
    expect(result.appended).toEqual([]);
  });
  it('files, for the decider to take back, a record deleted over an hour ago that the list still shows and its GET reads', async () => {
    const shop = shopOf([1, 2, 3]);
    const longAgo = new Date(NOW - 3_600_000).toISOString();
    const result = await sweepToEnd(shop, ['1', '3'], { mustList: true, deleted: { '2': longAgo } });
    expect(shop.calls).toEqual(['list page 1', 'list page 2', 'get 2']);
    expect(result.appended).toEqual([
      {
        key: 't1:order:2',
        body: Buffer.from('{"id":2}'),
        tenantId: 't1',
        haravanTopic: 'orders/updated',
        orgId: '42',
        source: 'sweep',
        receivedAt: '2026-11-30T00:00:00.000Z',
      },
    ]);
  });

  it('takes back no deletion under an hour old, nor one whose record the GET no longer finds', async () => {
    const shop = shopOf([1, 2, 3]);
    shop.client.get = (_resource, id) => Promise.resolve(ok(id === '2' ? null : { id: Number(id) }));
    const recently = new Date(NOW - 3_599_000).toISOString();
    const longAgo = new Date(NOW - 7_200_000).toISOString();
    const result = await sweepToEnd(shop, ['1'], {
      mustList: true,
      deleted: { '2': longAgo, '3': recently },
    });
    expect(result.appended).toEqual([]);
  });

  it('takes back none when more deleted records are still shown than one sweep may take back, and still files its deletions', async () => {
    const shop = shopOf([1, 2, 3, 4]);
    const longAgo = new Date(NOW - 7_200_000).toISOString();
    const result = await sweepToEnd(shop, ['1', '5'], {
      mustList: true,
      maxDeletions: 2,
      deleted: { '2': longAgo, '3': longAgo, '4': longAgo },
    });
    expect(result).toMatchObject({ failure: null, deleted: 1 });
    expect(result.appended.map((r) => [r.key, r.source])).toEqual([['t1:order:5', 'poll']]);
  });
});

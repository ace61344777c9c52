import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@cdp/testing';
import type { AggregateState } from '../deciding/aggregate-state';
import { STATE_COLLECTION } from '../worker/state-store';
import { startPollingHarness, testPollingConfig, type PollingHarness } from './polling-harness.test-helper';

const TOKEN = 'sim-token-revival';
const HOUR = 3_600_000;

describe('the deletion sweep over deletions the shop contradicts', () => {
  let h: PollingHarness;

  beforeAll(async () => {
    h = await startPollingHarness({
      name: 'revival',
      token: TOKEN,
      seed: 91,
      orgIdBase: 200_091_000,
      generate: { customers: 3, orders: 6, products: 1 },
    });
  }, 120_000);
  afterAll(() => h?.stop());

  /** The decider's tombstone of one of the tenant's orders, deleted at `deletedAt`. */
  const deletedByDecider = (tenantId: string, orderId: number, deletedAt: Date) => {
    const state: AggregateState = {
      version: '2026-11-01T00:00:00Z',
      fingerprint: '',
      fields: {},
      deleted: true,
      deletedAt: deletedAt.toISOString(),
    };
    return h.db
      .collection<{ _id: string; state: AggregateState; lastDecision: unknown }>(STATE_COLLECTION)
      .insertOne({
        _id: `${tenantId}:order:${orderId}`,
        state,
        lastDecision: { partition: 0, offset: '0', events: [] },
      });
  };

  it('files the shop’s own copy of a record deleted over an hour ago that it still lists, and not of one deleted just now', async () => {
    const tenantId = await h.connectTenant();
    const [longAgo, justNow] = h.shop.records('orders').map((r) => r.id);
    if (longAgo === undefined || justNow === undefined) throw new Error('the shop needs two orders');
    // As a delete webhook re-posted from another delivery's signed body leaves them.
    await deletedByDecider(tenantId, longAgo, new Date(Date.now() - 2 * HOUR));
    await deletedByDecider(tenantId, justNow, new Date());

    await h.startManager(testPollingConfig({ sweepIntervalMs: 1_000 })).addTenant(tenantId);
    const swept = (id: number) =>
      h.raw.filter((r) => r.source === 'sweep' && r.key === `${tenantId}:order:${id}`);
    await waitFor(() => Promise.resolve(swept(longAgo).length > 0), {
      timeoutMs: 60_000,
      description: 'the sweep to file the order deleted two hours ago',
    });

    const [record] = swept(longAgo);
    expect(record).toMatchObject({ haravanTopic: 'orders/updated', tenantId });
    expect(JSON.parse(record!.body.toString('utf8'))).toMatchObject({ id: longAgo });
    expect(swept(justNow)).toEqual([]);
  });
});

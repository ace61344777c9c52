import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, resolveInfra, uniqueName, type TestDb } from '@cdp/testing';
import { createWebhookCounts } from './webhook-counts';

describe('webhook counts', () => {
  let store: TestDb;

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'webhook-counts' });
  });
  afterAll(() => store?.cleanup());

  const documentsOf = (tenantId: string) =>
    store.db.collection('webhook_counts').countDocuments({ tenantId });

  it('go on across restarts in the slot a stopped process left, not in a new document each start', async () => {
    const tenantId = uniqueName('shop');
    const first = createWebhookCounts(store.db);
    first.count(tenantId, 'accepted');
    first.count(tenantId, 'accepted');
    first.count(tenantId, 'ERR_WEBHOOK_BAD_SIGNATURE');
    await first.close();

    for (let restart = 0; restart < 3; restart++) {
      const next = createWebhookCounts(store.db);
      next.count(tenantId, 'accepted');
      await next.close();
    }

    const status = createWebhookCounts(store.db);
    expect(await status.of(tenantId)).toMatchObject({
      accepted: 5,
      rejected: { ERR_WEBHOOK_BAD_SIGNATURE: 1 },
    });
    await status.close();
    expect(await documentsOf(tenantId)).toBe(1);
  });

  it('of processes running at once are written to a slot each and added up, unwritten ones included', async () => {
    const tenantId = uniqueName('shop');
    const [a, b] = [createWebhookCounts(store.db), createWebhookCounts(store.db)];
    a.count(tenantId, 'accepted');
    b.count(tenantId, 'accepted');
    await Promise.all([a.flush(), b.flush()]);
    b.count(tenantId, 'ERR_WEBHOOK_UNKNOWN_ORG');

    expect(await b.of(tenantId)).toMatchObject({ accepted: 2, rejected: { ERR_WEBHOOK_UNKNOWN_ORG: 1 } });
    expect(await documentsOf(tenantId)).toBe(2);
    await Promise.all([a.close(), b.close()]);
  });

  it('take over the slot of a process that died holding it, once its lease lapsed', async () => {
    const tenantId = uniqueName('shop');
    const died = createWebhookCounts(store.db, { slotTtlMs: 300 });
    died.count(tenantId, 'accepted');
    await died.flush();
    // It never renews again (nothing more to write), as a killed process would not.
    await sleep(400);

    const next = createWebhookCounts(store.db, { slotTtlMs: 300 });
    next.count(tenantId, 'accepted');
    await next.flush();
    expect(await documentsOf(tenantId)).toBe(1);
    expect(await next.of(tenantId)).toMatchObject({ accepted: 2 });
    await Promise.all([next.close(), died.close()]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCollections, ensureReadModelIndexes } from '@cdp/read-models';
import { createTestDb, resolveInfra, type TestDb } from '@cdp/testing';

describe("the read models' indexes", () => {
  let store: TestDb;

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'indexes' });
  });
  afterAll(() => store?.cleanup());

  it('drop the order indexes that the newest-first ones replaced, on a generation that has them', async () => {
    const orders = store.db.collection(defaultCollections.orders);
    await orders.createIndex({ tenantId: 1, buyerId: 1 });
    await orders.createIndex({ tenantId: 1 });
    await ensureReadModelIndexes(store.db, defaultCollections);
    await ensureReadModelIndexes(store.db, defaultCollections);
    const names = (await orders.indexes()).map((index) => index.name);
    expect(names).not.toContain('tenantId_1_buyerId_1');
    expect(names).not.toContain('tenantId_1');
    expect(names).toContain('tenantId_1_buyerId_1_createdAt_-1__id_-1');
  });
});

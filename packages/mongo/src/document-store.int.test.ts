import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, resolveInfra, type TestDb } from '@cdp/testing';

/** What the projector relies on from the store, checked against the real one (FerretDB locally). */
describe('the document store', () => {
  let store: TestDb;
  let ferretdb = false;

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'store' });
    ferretdb = 'ferretdbVersion' in (await store.db.admin().command({ buildInfo: 1 }));
    await store.db
      .collection<{ _id: string; n: number }>('docs')
      .insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: `d${i}`, n: 0 })));
  });
  afterAll(() => store.cleanup());

  it('applies a bulk write of more than 100 updates in one command', { timeout: 30_000 }, async () => {
    const docs = store.db.collection<{ _id: string; n: number }>('docs');
    const result = await docs.bulkWrite(
      Array.from({ length: 250 }, (_, i) => ({
        updateOne: { filter: { _id: `d${i}`, n: 0 }, update: { $set: { n: 1 } } },
      })),
    );
    expect(result.modifiedCount).toBe(250);
  });

  it('finds a document by _id through the _id index, also when the filter names other fields', async (ctx) => {
    // MongoDB looks _id up by index by design; FerretDB's explain shows SQLite's plan.
    if (!ferretdb) ctx.skip();
    const plan = (await store.db.command({ explain: { find: 'docs', filter: { _id: 'd7', n: 1 } } })) as {
      queryPlanner: unknown;
    };
    expect(JSON.stringify(plan.queryPlanner)).toMatch(/USING INDEX \S+__id_/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, resolveInfra, type TestDb } from '@cdp/testing';
import { createIdReader } from './id-reader';

describe('reading one document by _id', () => {
  let store: TestDb;
  const at = new Date('2026-11-30T08:00:00.000Z');

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'byid' });
    await store.db
      .collection<{ _id: string; [field: string]: unknown }>('docs')
      .insertMany([{ _id: 'a', name: 'Khách A', at, big: 'x'.repeat(1000) }, { _id: 'b' }]);
  });
  afterAll(() => store.cleanup());

  it('answers the document as findOne does, with its projection, and null when there is none', async () => {
    const byId = createIdReader(store.db);
    const docs = store.db.collection('docs');
    expect(await byId(docs, 'a')).toEqual(await docs.findOne({ _id: 'a' as never }));
    expect(await byId(docs, 'a', { name: 1, at: 1 })).toEqual({ _id: 'a', name: 'Khách A', at });
    expect(await byId(docs, 'missing')).toBeNull();
  });
});

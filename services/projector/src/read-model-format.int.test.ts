import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectionsFor,
  formatOf,
  progressCollection,
  READ_MODEL_FORMAT,
  readModelSnapshot,
  recordFormatIfNew,
} from '@cdp/read-models';
import { createTestDb, resolveInfra, type TestDb } from '@cdp/testing';
import { createReadModelWriter } from './read-model-writer';
import { history } from './shop-history.test-helper';

/** JSON with every object's keys sorted: the digest follows values, not the order fields are written in. */
const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [k, canonical(v)]),
        )
      : value;

describe("the read models' format", () => {
  let store: TestDb;

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'format' });
  });
  afterAll(() => store?.cleanup());

  it("is this release's for a generation built from its start, and unrecorded for one already under way", async () => {
    await recordFormatIfNew(store.db, '_g1');
    expect(await formatOf(store.db, '_g1')).toBe(READ_MODEL_FORMAT);

    await progressCollection(store.db, '_g2').insertOne({
      _id: 'cdp.orders.v1/0',
      topic: 'cdp.orders.v1',
      partition: 0,
      appliedOffset: 41,
      highWatermark: 42,
      lastRecordedAt: null,
      updatedAt: new Date().toISOString(),
    });
    await recordFormatIfNew(store.db, '_g2');
    expect(await formatOf(store.db, '_g2')).toBeNull();
  });

  it('is raised whenever what a fixed history derives changes', async () => {
    const writer = createReadModelWriter(store.db, collectionsFor('_golden'));
    await writer.open();
    for (const [offset, event] of history().entries()) {
      writer.apply(event, { partition: 0, offset });
      await writer.flush();
    }
    const snapshot = JSON.stringify(canonical(await readModelSnapshot(store.db, '_golden')));
    const digest = createHash('sha256').update(snapshot).digest('hex');
    // Documents built before a change would differ from a rebuild's: raise READ_MODEL_FORMAT with
    // the new digest, so deployments are told to rebuild (a change that derives the same passes).
    expect({ format: READ_MODEL_FORMAT, digest }).toEqual({
      format: 1,
      digest: '68b925d3d5e166114c96720172075cb0100ed4119ac77b51f21fc980c91f0381',
    });
  });
});

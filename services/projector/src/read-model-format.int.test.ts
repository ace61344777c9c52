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
import { sampleCustomer } from '@cdp/contracts/samples';
import { createTestDb, resolveInfra, type TestDb } from '@cdp/testing';
import { createReadModelWriter } from './read-model-writer';
import { history, order, stamped } from './shop-history.test-helper';

/**
 * What the fixed history derives under each format, append-only: a change to the derivation adds
 * the next format with its digest and raises READ_MODEL_FORMAT to it; an entry is never edited.
 */
const DIGESTS: Record<number, string> = {
  1: 'a4294a2cb59bdcd2021b4414b75a96a617a7b268e735725db98e7a9d2868c4fb',
  // A parcel at the buyer's own phone, or under their name, is no longer a receiver (R12).
  2: '54405fc8ef1206d423e5295442435e8dfeeb530fcf8baaf5ae045ea4dab6b8eb',
  // A placeholder phone (0000000000) is no profile's phone: the default address's is taken (R8).
  3: 'dfc0c3a98e06b5f1d19a486a7ed388194c6a4fbc4b6724eda5bfa23dc2d11851',
};

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
    const events = history();
    // What the shared history leaves out: a partial refund with free shipping (R20), a deleted buyer,
    // a buyer whose phone is a placeholder (R8, as ingest wrote it before it judged placeholders).
    events.push(
      ...stamped(
        [
          {
            type: 'OrderCreated',
            data: {
              order: order(7, '5003', {
                financialStatus: 'partially_refunded',
                totalRefunded: '500000',
                discountCodes: [{ code: 'FREESHIP', amount: '30000', type: 'shipping' }],
              }),
            },
          },
          { type: 'CustomerDeleted', data: { customerId: '5002', deletedAt: '2026-11-29T01:00:00.000Z' } },
          {
            type: 'CustomerUpserted',
            data: { customer: { ...sampleCustomer, customerId: '5003', phone: '+84000000000' } },
          },
        ],
        events.length,
      ),
    );
    for (const [offset, event] of events.entries()) {
      writer.apply(event, { partition: 0, offset });
      await writer.flush();
    }
    // Shards of buyer entries hold buyers past 20,000 orders, none here (their layout is pinned by
    // `buyer-entries.unit.test.ts`).
    const { orders, customers, products } = await readModelSnapshot(store.db, '_golden');
    const snapshot = JSON.stringify(canonical({ orders, customers, products }));
    const digest = createHash('sha256').update(snapshot).digest('hex');
    // Documents built before a change would differ from a rebuild's: deployments are told to
    // rebuild when the format is raised (a change that derives the same passes).
    expect(Math.max(...Object.keys(DIGESTS).map(Number))).toBe(READ_MODEL_FORMAT);
    expect({ format: READ_MODEL_FORMAT, digest }).toEqual({
      format: READ_MODEL_FORMAT,
      digest: DIGESTS[READ_MODEL_FORMAT],
    });
  });
});

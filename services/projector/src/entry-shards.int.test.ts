import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '@cdp/contracts';
import { sampleCustomer } from '@cdp/contracts/samples';
import {
  collectionsFor,
  ENTRY_SHARDS,
  readModelSnapshot,
  type BuyerEntriesDoc,
  type CustomerDoc,
  type OrderContribution,
} from '@cdp/read-models';
import { createTestDb, resolveInfra, type TestDb } from '@cdp/testing';
import { createReadModelWriter, type ReadModelWriterOptions } from './read-model-writer';
import { order, stamped, type Unstamped } from './shop-history.test-helper';

const paid = { financialStatus: 'paid' as const };
const at = '2026-11-29T00:00:00.000Z';

/** Buyer 5001 with twelve orders, changed, cancelled, deleted (still listed), moved to 5002 and back. */
const events = stamped(
  [
    { type: 'CustomerUpserted', data: { customer: { ...sampleCustomer, customerId: '5001' } } },
    ...Array.from({ length: 12 }, (_, i): Unstamped => ({
      type: 'OrderCreated',
      data: { order: order(i + 1, '5001') },
    })),
    ...[1, 2, 7, 8, 11].map((n): Unstamped => ({
      type: 'PaymentStatusChanged',
      data: { order: order(n, '5001', paid), previousStatus: 'pending', status: 'paid' },
    })),
    {
      type: 'OrderCancelled',
      data: { order: order(3, '5001', { cancelled: true, cancelledAt: at }), reason: 'customer' },
    },
    { type: 'OrderUpdated', data: { order: order(4, '5002', paid), changedFields: ['buyer'] } },
    { type: 'OrderDeleted', data: { orderId: '9005', deletedAt: at } },
    {
      type: 'OrderUpdated',
      data: { order: order(9, '5001', { financialStatus: 'partially_refunded' }), changedFields: [] },
    },
    { type: 'OrderUpdated', data: { order: order(4, '5001', paid), changedFields: ['buyer'] } },
    { type: 'OrderUpdated', data: { order: order(10, '5002'), changedFields: ['buyer'] } },
  ],
  0,
);

/** Applies events at their index as offset, flushing after each slice of `every`; a sole writer settles. */
async function project(
  store: TestDb,
  suffix: string,
  slice: [number, number],
  options: ReadModelWriterOptions,
  every: number,
) {
  const writer = createReadModelWriter(store.db, collectionsFor(suffix), options);
  await writer.open();
  for (let i = slice[0]; i < slice[1]; i++) {
    writer.apply(events[i] as DomainEvent, { partition: 0, offset: i });
    if ((i + 1) % every === 0) await writer.flush();
  }
  await writer.flush();
  if (options.sole) await writer.settleBuyers(() => false);
}

/** The read models with each buyer's entries gathered from wherever they are kept. */
async function gathered(store: TestDb, suffix: string) {
  const { orders, customers, products, buyerEntries } = await readModelSnapshot(store.db, suffix);
  const entries = new Map<string, Record<string, OrderContribution>>();
  for (const shard of buyerEntries as unknown as BuyerEntriesDoc[]) {
    const id = shard._id.slice(0, shard._id.lastIndexOf('#'));
    entries.set(id, { ...entries.get(id), ...shard.entries });
  }
  const contacts = (customers as unknown as CustomerDoc[]).map(
    ({ orderContributions, entryShards: _sums, ...contact }) => ({
      ...contact,
      entries: orderContributions ?? entries.get(contact._id) ?? {},
    }),
  );
  return { orders, contacts, products };
}

const sorted = (entries: Record<string, OrderContribution>) =>
  Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)));

describe('buyers whose entries are kept in shards', () => {
  let store: TestDb;
  const sharded = { inlineEntries: 3 };

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'entry-shards' });
    await project(store, '_inline', [0, events.length], {}, 4);
    await project(store, '_sharded', [0, events.length], sharded, 4);
  });
  afterAll(() => store.cleanup());

  it('give the totals and entries of a buyer that lists its orders itself', async () => {
    const inline = await gathered(store, '_inline');
    const inShards = await gathered(store, '_sharded');
    expect(inShards.orders).toEqual(inline.orders);
    expect(inShards.products).toEqual(inline.products);
    const norm = (g: typeof inline) => g.contacts.map((c) => ({ ...c, entries: sorted(c.entries) }));
    expect(norm(inShards)).toEqual(norm(inline));
    const buyer = inShards.contacts.find((c) => c._id === 'sole-shop:5001');
    expect(buyer).toMatchObject({ totalOrders: 9 });
    expect(Object.keys(buyer?.entries ?? {})).toHaveLength(11);
  });

  it('list the sums of every shard on the profile, and no entries', async () => {
    const profile = await store.db
      .collection<CustomerDoc>(collectionsFor('_sharded').customers)
      .findOne({ _id: 'sole-shop:5001' });
    expect(profile?.orderContributions).toBeUndefined();
    expect(Object.keys(profile?.entryShards ?? {})).toHaveLength(ENTRY_SHARDS);
    const sums = Object.values(profile?.entryShards ?? {});
    expect(sums.reduce((n, s) => n + s.entries, 0)).toBe(11);
    expect(sums.reduce((n, s) => n + s.totalOrders, 0)).toBe(profile?.totalOrders);
  });

  it('end the same when the events are applied again', async () => {
    const before = await readModelSnapshot(store.db, '_sharded');
    await project(store, '_sharded', [0, events.length], sharded, 3);
    expect(await readModelSnapshot(store.db, '_sharded')).toEqual(before);
  });

  it('are rebuilt to the same documents, kept to the end, written often, or resumed', async () => {
    const want = await readModelSnapshot(store.db, '_sharded');
    for (const [suffix, pendingEntries] of [
      ['_sole', 1000],
      ['_sole_often', 2],
    ] as const) {
      await project(
        store,
        suffix,
        [0, events.length],
        { ...sharded, sole: { remembered: 3, pendingEntries } },
        4,
      );
      expect(await readModelSnapshot(store.db, suffix)).toEqual(want);
    }
    // The first process dies before settling; the next derives every buyer from the orders.
    const sole = { ...sharded, sole: { remembered: 3, pendingEntries: 1000 } };
    const writer = createReadModelWriter(store.db, collectionsFor('_resumed'), sole);
    await writer.open();
    for (let i = 0; i < 15; i++) writer.apply(events[i] as DomainEvent, { partition: 0, offset: i });
    await writer.flush();
    await project(store, '_resumed', [12, events.length], sole, 5);
    expect(await readModelSnapshot(store.db, '_resumed')).toEqual(want);
  });

  it('put right a profile whose sums a crash left behind its shards', async () => {
    const names = collectionsFor('_crashed');
    await project(store, '_crashed', [0, 16], sharded, 16);
    const before = {
      customers: await store.db.collection<CustomerDoc>(names.customers).find().toArray(),
      orders: await store.db.collection<{ _id: string }>(names.orders).find().toArray(),
    };
    await project(store, '_crashed', [16, events.length], sharded, 100);
    // As if the shards had been written and the process died before the profiles and the orders.
    for (const [name, docs] of [
      [names.customers, before.customers],
      [names.orders, before.orders],
    ] as const) {
      await store.db.collection(name).deleteMany({});
      await store.db.collection<{ _id: string }>(name).insertMany(docs as { _id: string }[]);
    }
    await project(store, '_crashed', [16, events.length], sharded, 100);
    expect(await readModelSnapshot(store.db, '_crashed')).toEqual(
      await readModelSnapshot(store.db, '_sharded'),
    );
  });

  it('take over a profile that listed its entries itself past the bound', async () => {
    await project(store, '_moved_out', [0, 20], {}, 4);
    await project(store, '_moved_out', [20, events.length], sharded, 4);
    expect(await readModelSnapshot(store.db, '_moved_out')).toEqual(
      await readModelSnapshot(store.db, '_sharded'),
    );
  });

  it('put right a profile an earlier version listed the entries on again, beside stale shards', async () => {
    const later = stamped(
      [{ type: 'OrderCreated', data: { order: order(13, '5001') } }],
      events.length,
    )[0] as DomainEvent;
    const copy = async (from: string, to: string, name: 'orders' | 'customers' | 'buyerEntries') => {
      const docs = await store.db.collection<{ _id: string }>(collectionsFor(from)[name]).find().toArray();
      await store.db.collection<{ _id: string }>(collectionsFor(to)[name]).insertMany(docs);
    };
    // Shards as this version left them before the last three events; the orders, and the entries on
    // the profile, as an earlier version then wrote them (its sums of the shards kept as they were).
    await project(store, '_partial', [0, events.length - 3], sharded, 4);
    await copy('_inline', '_mixed', 'orders');
    await copy('_inline', '_mixed', 'customers');
    await copy('_partial', '_mixed', 'buyerEntries');
    const stale = await store.db
      .collection<CustomerDoc>(collectionsFor('_partial').customers)
      .findOne({ _id: 'sole-shop:5001' });
    await store.db
      .collection<CustomerDoc>(collectionsFor('_mixed').customers)
      .updateOne({ _id: 'sole-shop:5001' }, { $set: { entryShards: stale?.entryShards ?? {} } });

    await project(store, '_reference', [0, events.length], sharded, 4);
    for (const suffix of ['_mixed', '_reference']) {
      const writer = createReadModelWriter(store.db, collectionsFor(suffix), sharded);
      writer.apply(later, { partition: 0, offset: events.length });
      await writer.flush();
    }
    expect(await readModelSnapshot(store.db, '_mixed')).toEqual(
      await readModelSnapshot(store.db, '_reference'),
    );
  });

  it('tell the orders listed on the buyer', async () => {
    const seen: number[] = [];
    await project(
      store,
      '_counts',
      [0, 13],
      { ...sharded, buyerOrders: (_, buyerId, orders) => buyerId === '5001' && seen.push(orders) },
      4,
    );
    expect(seen).toEqual([3, 7, 11, 12]);
  });
});

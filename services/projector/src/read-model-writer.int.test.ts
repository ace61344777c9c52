import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '@cdp/contracts';
import { sampleAddress } from '@cdp/contracts/samples';
import { collectionsFor, readModelSnapshot } from '@cdp/read-models';
import { createTestDb, resolveInfra, type TestDb } from '@cdp/testing';
import { createReadModelWriter, type ReadModelWriterOptions } from './read-model-writer';
import { history, metadata, order, stamped, type Unstamped } from './shop-history.test-helper';

/**
 * Applies events at their index as offset, flushing after each slice of `every`; a sole writer's run
 * then settles its buyers, unless it is to end as if the process died.
 */
async function project(
  store: TestDb,
  suffix: string,
  events: DomainEvent[],
  from: number,
  options: ReadModelWriterOptions,
  every: number,
  settle = true,
) {
  const writer = createReadModelWriter(store.db, collectionsFor(suffix), options);
  await writer.open();
  for (let i = from; i < events.length; i++) {
    writer.apply(events[i] as DomainEvent, { partition: 0, offset: i });
    if ((i + 1) % every === 0) await writer.flush();
  }
  await writer.flush();
  if (options.sole && settle) await writer.settleBuyers(() => false);
}

/**
 * Applies each event at its own offset, flushing after each, as events of several topics are read
 * one by one; a sole writer's run then settles its buyers. The read models it ends with.
 */
async function projectEach(
  store: TestDb,
  suffix: string,
  events: [DomainEvent, number][],
  options: ReadModelWriterOptions = {},
) {
  const writer = createReadModelWriter(store.db, collectionsFor(suffix), options);
  await writer.open();
  for (const [event, offset] of events) {
    writer.apply(event, { partition: 0, offset });
    await writer.flush();
  }
  if (options.sole) await writer.settleBuyers(() => false);
  return readModelSnapshot(store.db, suffix);
}

describe('a rebuild writer that remembers what it wrote instead of reading it back', () => {
  let store: TestDb;
  const events = history();
  const sole = { sole: { remembered: 3, pendingEntries: 1000 } };

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'sole' });
    await project(store, '_reads', events, 0, {}, 4);
  });
  afterAll(() => store.cleanup());

  it.each([
    ['keeping every buyer entry to the end', 1000, '_sole', false],
    ['writing buyers whenever two entries changed', 2, '_sole_often', false],
    ['with a filter that takes every id for written', 1000, '_sole_unsure', true],
  ])(
    'ends with the documents of a writer that reads everything back, %s',
    async (_, kept, suffix, unsure) => {
      const filter = unsure ? () => ({ add() {}, mightHave: () => true }) : undefined;
      await project(store, suffix, events, 0, { sole: { remembered: 3, pendingEntries: kept, filter } }, 4);
      expect(await readModelSnapshot(store.db, suffix)).toEqual(await readModelSnapshot(store.db, '_reads'));
    },
  );

  it('leaves the buyers without entries until the run is settled', async () => {
    const names = collectionsFor('_unsettled');
    const writer = createReadModelWriter(store.db, names, sole);
    await writer.open();
    for (const [i, event] of events.entries()) writer.apply(event, { partition: 0, offset: i });
    await writer.flush();
    const buyer = () =>
      store.db.collection<{ _id: string }>(names.customers).findOne({ _id: 'sole-shop:5001' });
    expect(await buyer()).toMatchObject({ totalOrders: 0, orderContributions: {} });
    expect(await writer.settleBuyers(() => false)).toEqual({ buyers: 2, fromOrders: false, settled: true });
    const settled = await readModelSnapshot(store.db, '_unsettled');
    expect(settled).toEqual(await readModelSnapshot(store.db, '_reads'));
    expect(await buyer()).toMatchObject({ totalOrders: 2 });
  });

  it('resumes a half-built generation, redelivered events included, to the same documents', async () => {
    // The first process dies before settling: the entries it kept are lost.
    await project(store, '_resumed', events.slice(0, 8), 0, sole, 3, false);
    // A new process: it knows nothing it wrote before, receives some events again, and derives
    // every buyer's entries from the orders.
    await project(store, '_resumed', events, 6, sole, 5);
    expect(await readModelSnapshot(store.db, '_resumed')).toEqual(
      await readModelSnapshot(store.db, '_reads'),
    );
  });
});

describe('settling a rebuilt generation again after more events', () => {
  let store: TestDb;
  // Buyer 5003's only order moves to 5001 after the first settle: the second one empties 5003.
  const moved = stamped(
    [
      { type: 'OrderCreated', data: { order: order(7, '5003') } },
      {
        type: 'OrderUpdated',
        data: { order: order(7, '5001', { financialStatus: 'paid' }), changedFields: ['buyer'] },
      },
    ],
    100,
  );

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'resettle' });
    await project(store, '_reads', moved, 0, {}, 1);
  });
  afterAll(() => store.cleanup());

  it('takes entries off a buyer whose orders all went to another', async () => {
    const sole = { sole: { remembered: 3, pendingEntries: 1000 } };
    await project(store, '_twice', moved.slice(0, 1), 0, sole, 1);
    const names = collectionsFor('_twice');
    expect(
      await store.db.collection<{ _id: string }>(names.customers).findOne({ _id: 'sole-shop:5003' }),
    ).toMatchObject({
      totalOrders: 1,
    });
    await project(store, '_twice', moved, 1, sole, 1);
    expect(await readModelSnapshot(store.db, '_twice')).toEqual(await readModelSnapshot(store.db, '_reads'));
    expect(
      await store.db.collection<{ _id: string }>(names.customers).findOne({ _id: 'sole-shop:5003' }),
    ).toMatchObject({
      totalOrders: 0,
      orderContributions: {},
    });
  });
});

describe('a rebuild writer meeting buyers known only from their orders', () => {
  let store: TestDb;
  const sole = { sole: { remembered: 3, pendingEntries: 1000 } };
  const at = '2026-11-29T00:00:00.000Z';
  // No profile event for 5008 or 5009: their documents come from the orders naming them.
  const events = stamped(
    [
      { type: 'OrderCreated', data: { order: order(7, '5008') } },
      { type: 'OrderCreated', data: { order: order(8, '5009') } },
      { type: 'CustomerDeleted', data: { customerId: '5009', deletedAt: at } },
      // 5008's only order goes to another buyer: 5008 stays, with nothing listed.
      { type: 'OrderUpdated', data: { order: order(7, '5001'), changedFields: ['buyer'] } },
    ] satisfies Unstamped[],
    200,
  );

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'placeholders' });
    await project(store, '_reads', events, 0, {}, 1);
  });
  afterAll(() => store.cleanup());

  it('marks a deleted buyer as the live writer does, though their entries wait', async () => {
    await project(store, '_deleted', events, 0, sole, 1);
    expect(await readModelSnapshot(store.db, '_deleted')).toEqual(
      await readModelSnapshot(store.db, '_reads'),
    );
  });

  it.each([
    ['a later unit', 1, '_unsure'],
    ['the same unit', 4, '_unsure_together'],
  ])(
    'marks a deleted buyer whose document its filter wrongly takes for written, named in %s',
    async (_, every, suffix) => {
      const unsure = { sole: { ...sole.sole, filter: () => ({ add() {}, mightHave: () => true }) } };
      await project(store, suffix, events, 0, unsure, every);
      expect(await readModelSnapshot(store.db, suffix)).toEqual(await readModelSnapshot(store.db, '_reads'));
    },
  );

  it('marks a deleted buyer after a flush whose first customer write failed', async () => {
    // The store refuses the first customers write once, as in an outage; the flush is retried.
    let failures = 1;
    const flaky = new Proxy(store.db, {
      get(db, key) {
        if (key !== 'collection') return Reflect.get(db, key) as unknown;
        return (name: string) => {
          const collection = db.collection(name);
          if (!name.startsWith('customers')) return collection;
          return new Proxy(collection, {
            get(target, method) {
              if (method === 'bulkWrite' && failures-- > 0)
                return () => Promise.reject(new Error('store away'));
              const value = Reflect.get(target, method) as unknown;
              return typeof value === 'function' ? (value.bind(target) as unknown) : value;
            },
          });
        };
      },
    });
    const writer = createReadModelWriter(flaky, collectionsFor('_flaky'), sole);
    await writer.open();
    for (const [i, event] of events.entries()) writer.apply(event, { partition: 0, offset: i });
    await expect(writer.flush()).rejects.toThrow('store away');
    await writer.flush();
    await writer.settleBuyers(() => false);
    expect(await readModelSnapshot(store.db, '_flaky')).toEqual(await readModelSnapshot(store.db, '_reads'));
  });

  it('keeps a buyer whose orders all moved away, across a run that died before settling', async () => {
    await project(store, '_died', events, 0, sole, 1, false);
    await project(store, '_died', events, 3, sole, 1);
    expect(await readModelSnapshot(store.db, '_died')).toEqual(await readModelSnapshot(store.db, '_reads'));
  });
});

describe('a writer meeting read models from before per-order contributions were kept', () => {
  let store: TestDb;
  const events = history();

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'legacy' });
    await project(store, '_reads', events, 0, {}, 4);
  });
  afterAll(() => store.cleanup());

  const buyers = async (suffix: string) =>
    (await readModelSnapshot(store.db, suffix)).customers.map((c) => ({
      _id: c._id,
      revenueByPolicy: (c as { revenueByPolicy?: unknown }).revenueByPolicy,
      totalOrders: (c as { totalOrders?: unknown }).totalOrders,
    }));

  /** What an older version wrote: no entries on the buyers, no contributions on the orders. */
  async function legacyAfter(suffix: string, applied: number) {
    const names = collectionsFor(suffix);
    await project(store, suffix, events.slice(0, applied), 0, {}, 4);
    await store.db.collection(names.customers).updateMany({}, { $unset: { orderContributions: '' } });
    await store.db.collection(names.orders).updateMany({}, { $unset: { contributions: '' } });
  }

  it('derives the buyers’ entries from the stored orders’ snapshots', async () => {
    await legacyAfter('_legacy', 10);
    await project(store, '_legacy', events, 10, {}, 4);
    expect(await buyers('_legacy')).toEqual(await buyers('_reads'));
  });

  it('takes redelivered events of orders it does not change from their stored snapshots', async () => {
    await legacyAfter('_legacy_again', 10);
    // Events 2-9 again: older than the orders stored, so those orders stay as an older version wrote them.
    await project(store, '_legacy_again', events, 2, {}, 4);
    expect(await buyers('_legacy_again')).toEqual(await buyers('_reads'));
  });
});

describe('a customer deleted before any order names them', () => {
  let store: TestDb;
  const at = '2026-11-29T00:00:00.000Z';
  // Two topics, each with its own offsets: the projector may read either first, in a replay as live.
  const deletion: DomainEvent = {
    type: 'CustomerDeleted',
    data: { customerId: '5010', deletedAt: at },
    metadata: metadata(300, '5010'),
  };
  const ordered: DomainEvent = {
    type: 'OrderCreated',
    data: { order: order(10, '5010') },
    metadata: metadata(301, '9010'),
  };

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'deleted-first' });
  });
  afterAll(() => store.cleanup());

  it.each([
    ['live', {}],
    ['rebuilding', { sole: { remembered: 3, pendingEntries: 1000 } }],
  ])('ends the same whichever topic is read first (%s)', async (name, options) => {
    // Each the first of its topic: offset 0.
    const inTurn = (suffix: string, first: DomainEvent, second: DomainEvent) =>
      projectEach(
        store,
        suffix,
        [
          [first, 0],
          [second, 0],
        ],
        options,
      );
    const deletedFirst = await inTurn(`_${name}_d`, deletion, ordered);
    const orderFirst = await inTurn(`_${name}_o`, ordered, deletion);
    expect(deletedFirst).toEqual(orderFirst);
    const profile = orderFirst.customers.find((c) => c._id === 'sole-shop:5010');
    expect(profile).toMatchObject({ deleted: true, totalOrders: 1 });
  });
});

describe('a resumed rebuild settling a buyer whose orders changed', () => {
  let store: TestDb;
  // 9011 moves from 5011 to 5012; 5011 gets 9012 instead: an entry of the same values under another order id.
  const events = stamped(
    [
      { type: 'OrderCreated', data: { order: order(11, '5011') } },
      { type: 'OrderUpdated', data: { order: order(11, '5012'), changedFields: ['buyer'] } },
      { type: 'OrderCreated', data: { order: order(12, '5011') } },
    ] satisfies Unstamped[],
    400,
  );

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'resettle-moved' });
    await project(store, '_reads', events, 0, {}, 1);
  });
  afterAll(() => store.cleanup());

  it('lists on each buyer the orders that are theirs at the end', async () => {
    // The first run writes its buyers' entries at once, then dies before settling.
    const eager = { sole: { remembered: 3, pendingEntries: 1 } };
    await project(store, '_moved', events.slice(0, 1), 0, eager, 1, false);
    await project(store, '_moved', events, 1, eager, 1);
    const buyer = await store.db
      .collection<{ _id: string }>(collectionsFor('_moved').customers)
      .findOne({ _id: 'sole-shop:5011' });
    expect(Object.keys((buyer as { orderContributions: object } | null)?.orderContributions ?? {})).toEqual([
      String(9000 + 12),
    ]);
    expect(await readModelSnapshot(store.db, '_moved')).toEqual(await readModelSnapshot(store.db, '_reads'));
  });
});

describe('a receiver named by two orders of the same millisecond', () => {
  let store: TestDb;
  const createdAt = '2026-11-23T03:00:00.000Z';
  const shippedTo = (name: string) => ({ ...sampleAddress, name, phone: '+84977000111' });
  const a = order(13, '5013', { createdAt, shippingAddress: shippedTo('Lan') });
  const b = order(14, '5014', { createdAt, shippingAddress: shippedTo('Hoa') });
  // A's and B's events come from two partitions: either may be read first.
  const a0: DomainEvent = { type: 'OrderCreated', data: { order: a }, metadata: metadata(500, a.orderId) };
  const a1: DomainEvent = {
    type: 'PaymentStatusChanged',
    data: { order: { ...a, financialStatus: 'paid' }, previousStatus: 'pending', status: 'paid' },
    metadata: metadata(501, a.orderId),
  };
  const b0: DomainEvent = { type: 'OrderCreated', data: { order: b }, metadata: metadata(502, b.orderId) };

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'receiver-tie' });
  });
  afterAll(() => store.cleanup());

  it('shows the same order’s address whichever is read last', async () => {
    const oneWay = await projectEach(store, '_ab', [
      [a0, 0],
      [b0, 0],
      [a1, 1],
    ]);
    const otherWay = await projectEach(store, '_ba', [
      [a0, 0],
      [a1, 1],
      [b0, 0],
    ]);
    expect(oneWay).toEqual(otherWay);
    expect(
      oneWay.customers.filter((c) => c._id.includes('receiver')).map((c) => (c as { name?: string }).name),
    ).toEqual(['Hoa']);
  });
});

describe('a receiver whose orders are deleted or ship to someone else', () => {
  let store: TestDb;
  const shippedTo = (name: string) => ({ ...sampleAddress, name, phone: '+84977000222' });
  const older = order(15, '5031', { shippingAddress: shippedTo('Lan') });
  const newer = order(16, '5031', { shippingAddress: shippedTo('Lan Anh') });
  const oldest = order(8, '5031', { shippingAddress: shippedTo('Chị Lan') });
  const events = stamped(
    [
      { type: 'OrderCreated', data: { order: older } },
      { type: 'OrderCreated', data: { order: newer } },
      { type: 'OrderDeleted', data: { orderId: newer.orderId, deletedAt: '2026-12-01T00:00:00.000Z' } },
      // Now shipped to the buyer: it names no receiver.
      {
        type: 'OrderUpdated',
        data: {
          order: { ...older, shippingAddress: { ...sampleAddress, phone: '+84912005031' } },
          changedFields: ['shippingAddress'],
        },
      },
      { type: 'OrderCreated', data: { order: oldest } },
    ],
    600,
  );
  const receiver = async (suffix: string) =>
    (await readModelSnapshot(store.db, suffix)).customers.find((c) => c._id.includes('receiver')) as
      { name: string | null; deleted: boolean } | undefined;

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'receiver-lost' });
  });
  afterAll(() => store.cleanup());

  it.each([
    ['a live writer', {}],
    ['a rebuild writer', { sole: { remembered: 3, pendingEntries: 1000 } }],
  ])(
    '%s shows the newest order still naming it, deletes it when none does, and brings it back',
    async (_, options) => {
      const suffix = `_lost_${'sole' in options ? 'sole' : 'live'}`;
      const upTo = async (n: number) => {
        await projectEach(
          store,
          suffix,
          events.slice(0, n).map((e, i): [DomainEvent, number] => [e, i]),
          options,
        );
        return receiver(suffix);
      };
      expect(await upTo(2)).toMatchObject({ name: 'Lan Anh', deleted: false });
      expect(await upTo(3)).toMatchObject({ name: 'Lan', deleted: false });
      expect(await upTo(4)).toMatchObject({ deleted: true });
      // Named again, even by an order older than those it showed.
      expect(await upTo(5)).toMatchObject({ name: 'Chị Lan', deleted: false });
    },
  );

  it('finds the receivers again when a unit is redelivered after failing to re-derive them', async () => {
    const suffix = '_lost_redelivered';
    await project(store, suffix, events.slice(0, 1), 0, {}, 1);
    // The store refuses the receiver's update once, as a crash there would leave it.
    let failures = 1;
    const flaky = new Proxy(store.db, {
      get(db, key) {
        if (key !== 'collection') return Reflect.get(db, key) as unknown;
        return (name: string) =>
          new Proxy(db.collection(name), {
            get(target, method) {
              const value = Reflect.get(target, method) as unknown;
              if (method !== 'updateOne' || typeof value !== 'function') return value;
              return (filter: { _id?: string }, ...rest: unknown[]) =>
                String(filter._id).includes('receiver') && failures-- > 0
                  ? Promise.reject(new Error('store away'))
                  : (value as (...args: unknown[]) => unknown).call(target, filter, ...rest);
            },
          });
      },
    });
    const shippedHome = events[3] as DomainEvent;
    const dying = createReadModelWriter(flaky, collectionsFor(suffix));
    await dying.open();
    dying.apply(shippedHome, { partition: 0, offset: 3 });
    await expect(dying.flush()).rejects.toThrow('store away');
    // Redelivered to the next projector.
    await projectEach(store, suffix, [[shippedHome, 3]]);
    expect(await receiver(suffix)).toMatchObject({ deleted: true, name: null, addresses: [] });
  });

  it('ends the same when all the events are applied in one unit of work', async () => {
    await project(store, '_lost_one_unit', events, 0, {}, 100);
    expect(await receiver('_lost_one_unit')).toMatchObject({ name: 'Chị Lan', deleted: false });
    await project(store, '_lost_most', events.slice(0, 4), 0, {}, 100);
    expect(await receiver('_lost_most')).toMatchObject({ deleted: true });
  });
});

describe("a writer telling buyers' order counts", () => {
  let store: TestDb;

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'buyer-orders' });
  });
  afterAll(() => store.cleanup());

  it('tells each buyer it writes with the orders listed on them', async () => {
    const seen: [string, string, number][] = [];
    const created = (n: number, buyer: string): DomainEvent => ({
      type: 'OrderCreated',
      data: { order: order(n, buyer) },
      metadata: metadata(n, String(9000 + n)),
    });
    await projectEach(
      store,
      '_counts',
      [
        [created(1, '5101'), 0],
        [created(2, '5101'), 1],
        [created(3, '5102'), 2],
      ],
      { buyerOrders: (tenantId, buyerId, orders) => seen.push([tenantId, buyerId, orders]) },
    );
    expect(seen.map(([, buyerId, orders]) => [buyerId, orders])).toEqual([
      ['5101', 1],
      ['5101', 2],
      ['5102', 1],
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DomainEvent } from '@cdp/contracts';
import { sampleEvents, sampleOrder } from '@cdp/contracts/samples';
import {
  collectionsFor,
  currentGeneration,
  customerDocId,
  pendingRebuild,
  readModelSnapshot,
  startRebuild,
} from '@cdp/read-models';
import { orderCreated } from './order-created.test-helper';
import { openPipelineFixture, type PipelineFixture } from './pipeline-fixture.test-helper';
import { generationGroupId } from './generation-projector';
import { cancelRebuild, rebuild } from './rebuild';
import { rebuildCustomer } from './rebuild-customer';

describe('a rebuild whose writes the store refuses', { timeout: 60_000 }, () => {
  let fixture: PipelineFixture;

  beforeAll(async () => {
    fixture = await openPipelineFixture('rebuild-crash');
  });

  afterAll(async () => {
    await fixture?.cleanup();
  });

  it('fails with the reason instead of waiting forever, and switches nothing', async () => {
    const { kafka, admin, codec, store, topics } = fixture;
    const producer = kafka.producer();
    await producer.connect();
    // Valid by the contract, but its id cannot be a field name in the store: the buyer's write of
    // its contribution is refused, and no retry or consumer restart can change that.
    for (const orderId of ['1001', '$poison'])
      await producer.send({
        topic: topics.orders,
        messages: [{ key: `t1:${orderId}`, value: await codec.encode(orderCreated(orderId)) }],
      });
    await producer.disconnect();

    const result = await rebuild(
      { ...fixture.deps, admin },
      { switchWhenDone: true, restart: true, pollMs: 100 },
    );

    expect(result.status).toBe('failed');
    expect(result.status === 'failed' && result.reason).toMatch(/^ERR_PROJECTOR_WRITE_REFUSED: .*\$poison/);
    expect(await currentGeneration(store.db)).toBe('');
    expect(await pendingRebuild(store.db)).toBe(result.suffix);
  });

  it("rebuilds one customer though another tenant's event cannot be decoded", async () => {
    const { kafka, admin, codec, store, topics } = fixture;
    const event = orderCreated('3001');
    const producer = kafka.producer();
    await producer.connect();
    const poison = orderCreated('$poison');
    await producer.send({
      topic: topics.orders,
      messages: [
        { key: 't2:555', value: Buffer.from('not an event') },
        {
          key: 't3:3001',
          value: await codec.encode({ ...event, metadata: { ...event.metadata, tenantId: 't3' } }),
        },
        {
          key: 't4:$poison',
          value: await codec.encode({ ...poison, metadata: { ...poison.metadata, tenantId: 't4' } }),
        },
      ],
    });
    await producer.disconnect();
    const deps = { kafka, admin, db: store.db, codec, topics };
    const buyer = sampleOrder.buyer?.customerId ?? '';

    expect(await rebuildCustomer(deps, 't3', buyer)).toEqual({ applied: 1 });
    // The store refuses t4's $poison order: the run ends saying so instead of retrying forever.
    await expect(rebuildCustomer(deps, 't4', buyer)).rejects.toThrow(/stays without documents/);
  });
});

describe('a pending rebuild that must not be resumed as one', { timeout: 60_000 }, () => {
  let fixture: PipelineFixture;

  beforeAll(async () => {
    fixture = await openPipelineFixture('rebuild-pending');
    const producer = fixture.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: fixture.topics.orders,
      messages: [{ key: 't1:1001', value: await fixture.codec.encode(orderCreated('1001')) }],
    });
    await producer.disconnect();
  });

  afterAll(async () => {
    await fixture?.cleanup();
  });

  it('is not switched in when it was started from a time, however it is resumed', async () => {
    const { admin, store } = fixture;
    const deps = { ...fixture.deps, admin };
    const partial = await rebuild(deps, {
      from: '2020-01-01T00:00:00Z',
      switchWhenDone: false,
      restart: true,
      pollMs: 100,
    });
    expect(partial.status).toBe('built');

    const resumed = await rebuild(deps, { switchWhenDone: true, restart: false, pollMs: 100 });

    expect(resumed.status === 'failed' && resumed.reason).toMatch(/^ERR_REPLAY_PARTIAL/);
    expect(await currentGeneration(store.db)).toBe('');
    expect(await pendingRebuild(store.db)).toBe(partial.suffix);
  });

  it('resumed from a time, refuses another time, and reads each partition from that time only', async () => {
    const { admin, codec, kafka, store, topics } = fixture;
    const deps = { ...fixture.deps, admin };
    const customer = sampleEvents.find((e) => e.type === 'CustomerUpserted');
    if (!customer) throw new Error('no sample CustomerUpserted');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: topics.customers,
      messages: [{ key: 't1:c1', value: await codec.encode(customer) }],
    });
    await producer.disconnect();
    // A first run from after every event stopped midway through positioning its group: the customers
    // are positioned (a partition with nothing after that time), the orders not yet.
    const afterEverything = new Date().toISOString();
    const suffix = `_g${Date.now()}`;
    await startRebuild(store.db, suffix, afterEverything);
    await admin.setOffsets({
      groupId: generationGroupId(deps.topicPrefix, suffix),
      topic: topics.customers,
      partitions: await admin.fetchTopicOffsetsByTimestamp(topics.customers, Date.parse(afterEverything)),
    });

    const other = await rebuild(deps, {
      from: '2020-01-01T00:00:00Z',
      switchWhenDone: false,
      restart: false,
    });
    expect(other.status === 'failed' && other.reason).toMatch(
      new RegExp(`^ERR_REPLAY_FROM_MISMATCH: the pending rebuild started at ${afterEverything}`),
    );
    expect(await pendingRebuild(store.db)).toBe(suffix);

    // Paused after a while if it cannot see its own end, instead of waiting forever (positioning
    // the group takes kafkajs 5 s a topic).
    let giveUp: NodeJS.Timeout | undefined;
    const cancelled = new Promise<void>((resolve) => (giveUp = setTimeout(resolve, 30_000)));
    const resumed = await rebuild(deps, { switchWhenDone: false, restart: false, pollMs: 100, cancelled });
    clearTimeout(giveUp);

    expect(resumed).toMatchObject({ status: 'built', suffix });
    const names = collectionsFor(suffix);
    expect(await store.db.collection(names.orders).countDocuments()).toBe(0);
    expect(await store.db.collection(names.customers).countDocuments()).toBe(0);
  });

  it('is not switched in when an earlier version started it, which did not record whether it was partial', async () => {
    const { admin, store } = fixture;
    // The pointer as an earlier version wrote it: no `from` field.
    await store.db
      .collection<{ _id: string; suffix: string; since: string }>('read_model_generations')
      .replaceOne({ _id: 'rebuild' }, { suffix: '_g1', since: new Date().toISOString() }, { upsert: true });

    const resumed = await rebuild({ ...fixture.deps, admin }, { switchWhenDone: true, restart: false });

    expect(resumed.status === 'failed' && resumed.reason).toMatch(/^ERR_REPLAY_PARTIAL: .*earlier version/);
    expect(await pendingRebuild(store.db)).toBe('_g1');
  });

  it('is taken as switched when it is the generation served (a run stopped between the two writes)', async () => {
    const { admin, store } = fixture;
    const deps = { ...fixture.deps, admin };
    const switched = await rebuild(deps, { switchWhenDone: true, restart: true, pollMs: 100 });
    expect(switched.status).toBe('switched');
    // The switch's second write, forgetting the pending rebuild, never happened.
    await startRebuild(store.db, switched.suffix);

    expect(await pendingRebuild(store.db)).toBeNull();
    expect(await cancelRebuild(deps)).toBeNull();
    const served = await store.db.listCollections({ name: collectionsFor(switched.suffix).orders }).toArray();
    expect(served).toHaveLength(1);
  });
});

describe('a rebuild while events keep arriving', { timeout: 60_000 }, () => {
  let fixture: PipelineFixture;

  beforeAll(async () => {
    fixture = await openPipelineFixture('rebuild-catch-up');
  });

  afterAll(async () => {
    await fixture?.cleanup();
  });

  it('catches up with what arrived after it started before it switches', async () => {
    const { kafka, admin, codec, store, topics } = fixture;
    const producer = kafka.producer();
    await producer.connect();
    const send = async (orderIds: string[]) => {
      for (const orderId of orderIds)
        await producer.send({
          topic: topics.orders,
          messages: [{ key: `t1:${orderId}`, value: await codec.encode(orderCreated(orderId)) }],
        });
    };
    await send(['2001', '2002', '2003']);
    let arriving: Promise<void> | undefined;

    const result = await rebuild(
      { ...fixture.deps, admin },
      {
        switchWhenDone: true,
        restart: true,
        // Two more arrive, acknowledged before the rebuild looks at the log's end again.
        onProgress: () => (arriving ??= send(['2004', '2005'])),
      },
    );
    await arriving;
    await producer.disconnect();

    expect(result).toMatchObject({ status: 'switched', events: 5 });
    expect(await currentGeneration(store.db)).toBe(result.suffix);
    const orders = store.db.collection(collectionsFor(result.suffix).orders);
    expect(await orders.countDocuments({ tenantId: 't1' })).toBe(5);
  });

  it('switches under steady traffic after a few chases, instead of chasing forever', async () => {
    const { kafka, admin, codec, topics } = fixture;
    const producer = kafka.producer();
    await producer.connect();
    let flowing = true;
    const traffic = (async () => {
      // About 200 a second: well below what a rebuild applies on a loaded machine, but so steady
      // that a look at the log's end nearly always finds some new.
      for (let n = 3000; flowing; n += 3) {
        const ids = Array.from({ length: 3 }, (_, i) => String(n + i));
        await producer.send({
          topic: topics.orders,
          messages: await Promise.all(
            ids.map(async (id) => ({ key: `t1:${id}`, value: await codec.encode(orderCreated(id)) })),
          ),
        });
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    try {
      const result = await rebuild(
        { ...fixture.deps, admin },
        { switchWhenDone: true, restart: true, pollMs: 100 },
      );

      expect(result.status).toBe('switched');
    } finally {
      flowing = false;
      await traffic;
      await producer.disconnect();
    }
  });
});

describe('a rebuild resumed after it was built', { timeout: 60_000 }, () => {
  let fixture: PipelineFixture;

  beforeAll(async () => {
    fixture = await openPipelineFixture('rebuild-resume');
  });

  afterAll(async () => {
    await fixture?.cleanup();
  });

  /** Order `orderId` moved to buyer `buyerId`. */
  const moved = (orderId: string, buyerId: string): DomainEvent => {
    const created = orderCreated(orderId);
    if (created.type !== 'OrderCreated') throw new Error('orderCreated gives an OrderCreated');
    const buyer = { customerId: buyerId, name: 'Trần Thị Bình', email: null, phone: null };
    return {
      type: 'OrderUpdated',
      data: { order: { ...created.data.order, buyer }, changedFields: ['buyer'] },
      metadata: { ...created.metadata, eventId: `moved-${orderId}` },
    };
  };

  it("derives every buyer's totals from the orders, as a rebuild from scratch does", async () => {
    const { kafka, admin, codec, store, topics } = fixture;
    const producer = kafka.producer();
    await producer.connect();
    const send = async (events: DomainEvent[]) => {
      for (const event of events)
        await producer.send({
          topic: topics.orders,
          messages: [{ key: `t1:${event.metadata.aggregateId}`, value: await codec.encode(event) }],
        });
    };
    const deps = { ...fixture.deps, admin };
    await send([orderCreated('4001'), orderCreated('4002')]);
    const first = await rebuild(deps, { switchWhenDone: false, restart: true, pollMs: 100 });
    // After the first run settled its buyers, an order moves to another one; the run is resumed.
    await send([moved('4002', '4777')]);
    const resumed = await rebuild(deps, { switchWhenDone: false, restart: false, pollMs: 100 });
    const customers = store.db.collection<{ _id: string }>(collectionsFor(resumed.suffix).customers);
    // The sample order's buyer kept one of the two.
    const kept = await customers.findOne({ _id: customerDocId('t1', '5001') });
    const gained = await customers.findOne({ _id: customerDocId('t1', '4777') });
    const resumedModels = await readModelSnapshot(store.db, resumed.suffix);
    // A rebuild from scratch drops the one resumed: what to compare with was read before.
    const scratch = await rebuild(deps, { switchWhenDone: false, restart: true, pollMs: 100 });
    await producer.disconnect();

    expect(first.status).toBe('built');
    expect(resumed).toMatchObject({ status: 'built', suffix: first.suffix });
    expect(kept).toMatchObject({ totalOrders: 1 });
    expect(gained).toMatchObject({ totalOrders: 1 });
    expect(resumedModels).toEqual(await readModelSnapshot(store.db, scratch.suffix));
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Producer } from 'kafkajs';
import { sampleOrder } from '@cdp/contracts/samples';
import { createLogger } from '@cdp/logging';
import {
  collectionsFor,
  CUSTOMER_REBUILDS,
  customerDocId,
  readModelSnapshot,
  type CustomerDoc,
  type OrderDoc,
} from '@cdp/read-models';
import { waitFor } from '@cdp/testing';
import { customerRebuildRequests } from './customer-rebuild-requests';
import { runCustomerRebuilds } from './customer-rebuild-runner';
import { createGenerationProjector } from './generation-projector';
import { orderCreated } from './order-created.test-helper';
import type { ParkedEvent } from './parking-lot';
import { openPipelineFixture, type PipelineFixture } from './pipeline-fixture.test-helper';
import { rebuild } from './rebuild';
import { rebuildCustomer } from './rebuild-customer';
import { superviseProjector, type SupervisedProjector } from './supervised-projector';

const log = createLogger('customer-rebuild-test', 'silent');
const buyer = sampleOrder.buyer?.customerId ?? '';

describe.each([
  ['', undefined],
  [', their orders kept in shards', 2],
])('rebuilding one customer beside the live projector%s', { timeout: 90_000 }, (_, inlineEntries) => {
  let fixture: PipelineFixture;
  let producer: Producer;
  let live: SupervisedProjector;

  const produceOrder = async (orderId: string) =>
    producer.send({
      topic: fixture.topics.orders,
      messages: [{ key: `t1:${orderId}`, value: await fixture.codec.encode(orderCreated(orderId)) }],
    });
  const customer = () =>
    fixture.store.db
      .collection<CustomerDoc>(collectionsFor().customers)
      .findOne({ _id: customerDocId('t1', buyer) });

  beforeAll(async () => {
    fixture = await openPipelineFixture('customer-rebuild', 2);
    fixture.deps.inlineEntries = inlineEntries;
    producer = fixture.kafka.producer();
    await producer.connect();
    live = superviseProjector((onCrash) => createGenerationProjector(fixture.deps, '', { onCrash }), { log });
    await live.start();
  });

  afterAll(async () => {
    await live?.stop();
    await producer?.disconnect();
    await fixture?.cleanup();
  });

  it('keeps the orders that arrive while it runs and ends where a full rebuild ends', async () => {
    const { admin, deps, store } = fixture;
    for (const orderId of ['4001', '4002']) await produceOrder(orderId);
    await waitFor(async () => (await customer())?.totalOrders === 2, {
      description: 'two orders projected',
      timeoutMs: 30_000,
    });
    // A damaged profile: the rebuild must rewrite it from the log.
    await store.db
      .collection<CustomerDoc>(collectionsFor().customers)
      .updateOne({ _id: customerDocId('t1', buyer) }, { $set: { totalOrders: 99 } });

    const requests = customerRebuildRequests(store.db);
    const id = await requests.request('t1', buyer);
    await runCustomerRebuilds(
      requests,
      (tenantId, customerId) =>
        rebuildCustomer({ ...deps, admin }, tenantId, customerId, {
          exclusive: async (work) => {
            // After the log was read to its end: one order the live projector has applied before the
            // rebuild's turn, and one it applies before or after it (its batch may be queued already).
            await produceOrder('4003');
            await waitFor(
              async () =>
                (await store.db.collection(collectionsFor().orders).countDocuments({ orderId: '4003' })) ===
                1,
              { description: 'the live projector to apply order 4003', timeoutMs: 30_000 },
            );
            await produceOrder('4004');
            return live.exclusive(work);
          },
        }),
      log,
    );

    expect(await requests.get(id)).toMatchObject({ state: 'done', applied: 4, attempts: 1 });
    await waitFor(async () => (await customer())?.totalOrders === 4, {
      description: 'four orders',
      timeoutMs: 30_000,
    });
    expect((await customer())?.entryShards !== undefined).toBe(inlineEntries !== undefined);
    const full = await rebuild({ ...deps, admin }, { switchWhenDone: false, restart: true, pollMs: 100 });
    expect(full.status).toBe('built');
    if (full.status !== 'built') return;
    expect(await readModelSnapshot(store.db, '')).toEqual(await readModelSnapshot(store.db, full.suffix));
  });

  // The request runner's part does not depend on where a buyer's entries are kept.
  if (inlineEntries === undefined) {
    it('leaves out, as the live projector does, the events of a key it parked, instead of failing', async () => {
      const { admin, deps, store, topics } = fixture;
      // Valid by the contract, but the store refuses its id as a field name: the live projector parks it.
      await produceOrder('$poison');
      // And an event of the tenant that cannot even be decoded.
      await producer.send({
        topic: topics.orders,
        messages: [{ key: 't1:4998', value: Buffer.from('garbage') }],
      });
      await waitFor(
        () =>
          Promise.resolve(
            ['t1:$poison', 't1:4998'].every((key) => live.current.parkingLot.isParked(topics.orders, key)),
          ),
        { description: 'the live projector to park both', timeoutMs: 60_000 },
      );
      const before = await readModelSnapshot(store.db, '');

      await rebuildCustomer({ ...deps, admin }, 't1', buyer, { exclusive: (work) => live.exclusive(work) });

      expect(await readModelSnapshot(store.db, '')).toEqual(before);
    });

    it('keeps the events of a key parked when it read the log and replayed before it wrote', async () => {
      const { admin, deps, store, topics } = fixture;
      const [sent] = await producer.send({
        topic: topics.orders,
        messages: [{ key: 't1:4997', value: await fixture.codec.encode(orderCreated('4997')) }],
      });
      await waitFor(
        () => store.db.collection<OrderDoc>(collectionsFor().orders).findOne({ _id: 't1:4997' }),
        {
          description: 'the live projector to apply the order',
        },
      );
      const applied = await readModelSnapshot(store.db, '');
      // As the live projector leaves a key it parked: the rebuild's first read finds it so…
      const parkedEvents = store.db.collection<
        Pick<ParkedEvent, '_id' | 'topic' | 'partition' | 'offset' | 'key'>
      >(collectionsFor().parkedEvents);
      const origin = `${topics.orders}/${sent?.partition}/${sent?.baseOffset}`;
      await parkedEvents.insertOne({
        _id: origin,
        topic: topics.orders,
        partition: sent?.partition ?? 0,
        offset: Number(sent?.baseOffset),
        key: 't1:4997',
      });

      await rebuildCustomer({ ...deps, admin }, 't1', buyer, {
        exclusive: async (work) => {
          // …and a replay has applied and released it by the time the customer is written.
          await parkedEvents.deleteOne({ _id: origin });
          return live.exclusive(work);
        },
      });

      expect(await readModelSnapshot(store.db, '')).toEqual(applied);
    });

    it('runs again a request whose runner died, and gives it up after three runs', async () => {
      const { store } = fixture;
      const requests = customerRebuildRequests(store.db);
      const id = await requests.request('t9', 'nobody');
      for (const attempts of [1, 2, 3]) {
        expect(await requests.claim()).toMatchObject({ _id: id, state: 'running', attempts });
      }
      expect(await requests.claim()).toBeNull();
      expect(await requests.get(id)).toMatchObject({
        state: 'failed',
        error: expect.stringMatching(/^ERR_REBUILD_ABANDONED/) as unknown,
      });
    });
    it('runs again, after a wait, a request whose events could not be read, and gives it up after six such runs', async () => {
      const { store } = fixture;
      const requests = customerRebuildRequests(store.db);
      const id = await requests.request('t8', 'nobody');
      const waited = () =>
        store.db
          .collection<{ _id: string }>(CUSTOMER_REBUILDS)
          .updateOne({ _id: id }, { $set: { retryAt: new Date(0) } });
      for (let run = 1; run <= 7; run++) {
        const claimed = await requests.claim();
        // A run that ended counts as no death of its runner.
        expect(claimed).toMatchObject({ _id: id, state: 'running', attempts: 1 });
        await requests.retryLater(claimed!, 'ERR_REBUILD_EVENTS_UNREAD: Kafka is away');
        expect(await requests.claim()).toBeNull();
        await waited();
      }
      expect(await requests.get(id)).toMatchObject({
        state: 'failed',
        error: expect.stringMatching(
          /^ERR_REBUILD_GAVE_UP: failed 7 times; last: ERR_REBUILD_EVENTS_UNREAD/,
        ) as unknown,
      });
    });
  }
});

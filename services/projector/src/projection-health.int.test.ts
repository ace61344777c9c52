import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionsFor, progressCollection, READ_MODEL_FORMAT } from '@cdp/read-models';
import { waitFor } from '@cdp/testing';
import { findCheckpointsAhead } from './checkpoint-check';
import { createGenerationProjector, generationGroupId } from './generation-projector';
import { orderCreated } from './order-created.test-helper';
import {
  appendAbortedTransaction,
  openPipelineFixture,
  watchFixtureHealth,
  type PipelineFixture,
} from './pipeline-fixture.test-helper';
import { createParkingLot } from './parking-lot';
import type { Projector } from './projector';

describe("the projector's committed checkpoints against its applied events", { timeout: 60_000 }, () => {
  let fixture: PipelineFixture;
  let projector: Projector;

  beforeAll(async () => {
    fixture = await openPipelineFixture('checkpoints');
    projector = await createGenerationProjector(fixture.deps, '');
    await projector.start();
  });

  afterAll(async () => {
    await projector?.stop();
    await fixture?.cleanup();
  });

  it('finds none ahead while the projector commits over applied events, and reports one whose events were lost', async () => {
    const { kafka, admin, codec, store, topics, prefix } = fixture;
    const producer = kafka.producer();
    await producer.connect();
    for (const orderId of ['6001', '6002', '6003'])
      await producer.send({
        topic: topics.orders,
        messages: [{ key: `t1:${orderId}`, value: await codec.encode(orderCreated(orderId)) }],
      });
    await producer.disconnect();
    const groupId = generationGroupId(prefix, '');
    const check = () => findCheckpointsAhead({ admin, db: store.db }, groupId, '', [topics.orders]);
    await waitFor(
      async () =>
        (await admin.fetchOffsets({ groupId, topics: [topics.orders] }))[0]?.partitions[0]?.offset === '3',
      { description: 'the projector to commit the three events' },
    );
    expect(await check()).toEqual([]);

    const { metrics, health } = watchFixtureHealth(fixture, { checkpointsMs: 100 });
    const lagLine = `test_lag_events{topic="${topics.orders}",partition="0"} 0`;
    const ready = async () => {
      const checks = await Promise.all(health.checks.map(async (c) => [c.name, await c.check()] as const));
      return Object.fromEntries(checks);
    };
    try {
      // The projector built the generation from its start: this release's format.
      const gauges = [
        lagLine,
        'test_checkpoints_ahead 0',
        'test_parked_keys 0',
        'test_logs_behind_progress 0',
        `test_read_model_format ${READ_MODEL_FORMAT}`,
        'test_read_model_format_behind 0',
      ];
      await waitFor(() => Promise.resolve(gauges.every((line) => metrics.render().includes(line))), {
        description: gauges.join(' and '),
      });
      expect(await ready()).toEqual({ projector: true, checkpoints: true, logs: true, partitions: true });

      // A key parked as the projector parks one, its event a minute ago: parked events count as
      // handled, so only these gauges tell of it.
      const dlq = kafka.producer();
      await dlq.connect();
      const names = collectionsFor('');
      await createParkingLot(store.db, dlq, topics.deadLetter, names).park(
        { topic: topics.orders, partition: 0, offset: '7', key: Buffer.from('t1:6009'), value: null },
        'test',
      );
      await dlq.disconnect();
      const minuteAgo = new Date(Date.now() - 60_000).toISOString();
      await store.db
        .collection<{ _id: string; parkedAt: string }>(names.parkedEvents)
        .updateOne({ _id: `${topics.orders}/0/7` }, { $set: { parkedAt: minuteAgo } });
      await waitFor(() => Promise.resolve(metrics.render().includes('test_parked_keys 1')), {
        description: 'the parked key to be counted',
      });
      await waitFor(
        () =>
          Promise.resolve(
            Number(/test_oldest_parked_event_age_seconds (\d+)/.exec(metrics.render())?.[1]) >= 60,
          ),
        { description: 'the parked event to be a minute old' },
      );

      // As if the read models had lost the last two events that the committed offset counts as applied.
      await progressCollection(store.db).updateOne(
        { _id: `${topics.orders}/0` },
        { $set: { appliedOffset: 0 } },
      );
      expect(await check()).toEqual([
        { topic: topics.orders, partition: 0, committedOffset: 3, appliedOffset: 0 },
      ]);
      await waitFor(() => Promise.resolve(metrics.render().includes('test_checkpoints_ahead 1')), {
        description: 'the gauge to count the partition',
      });
      expect(await ready()).toMatchObject({ checkpoints: false });
    } finally {
      health.stop();
    }
  });
  it('counts a transaction aborted at the end of the log as read, though kafkajs hands no batch of it over', async () => {
    const { admin, store, topics, prefix } = fixture;
    const end = await appendAbortedTransaction(fixture, topics.orders);
    const groupId = generationGroupId(prefix, '');

    await waitFor(
      async () =>
        (await progressCollection(store.db).findOne({ _id: `${topics.orders}/0` }))?.appliedOffset ===
        end - 1,
      { description: 'progress to reach the abort marker', timeoutMs: 30_000 },
    );
    expect(await findCheckpointsAhead({ admin, db: store.db }, groupId, '', [topics.orders])).toEqual([]);
  });
});

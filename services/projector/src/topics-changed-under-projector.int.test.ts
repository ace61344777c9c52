import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopics, pipelineTopics } from '@cdp/kafka';
import { progressCollection } from '@cdp/read-models';
import { waitFor } from '@cdp/testing';
import { keptLogRefusals } from './kept-log-refusals';
import { createGenerationProjector } from './generation-projector';
import {
  appliedOrders,
  openPipelineFixture,
  produceOrders,
  watchFixtureHealth,
  type PipelineFixture,
} from './pipeline-fixture.test-helper';

describe('a projector whose topics lost events it applied', { timeout: 60_000 }, () => {
  let fixture: PipelineFixture;

  beforeAll(async () => {
    fixture = await openPipelineFixture('log-behind');
  });
  afterAll(() => fixture?.cleanup());

  it('refuses to start, naming the partition and keeping the refusal, rather than take new events for applied ones', async () => {
    // Progress of 42 events applied, over a topic made again empty (its log ends at 0).
    const { topics, store } = fixture;
    await progressCollection(store.db).insertOne({
      _id: `${topics.orders}/0`,
      topic: topics.orders,
      partition: 0,
      appliedOffset: 41,
      highWatermark: 42,
      lastRecordedAt: null,
      updatedAt: new Date().toISOString(),
    });
    const started = createGenerationProjector(fixture.deps, '');
    await expect(started).rejects.toMatchObject({ code: 'ERR_PROJECTOR_LOG_BEHIND', retriable: false });
    await expect(started).rejects.toThrow(`${topics.orders}/0 ends at 0, 41 applied`);
    // Kept: the log growing past 41 events does not let it start.
    expect((await keptLogRefusals(store.db, '').list()).map((r) => r._id)).toEqual([`${topics.orders}/0`]);
  });
});

describe('a running projector whose topic is made again', { timeout: 90_000 }, () => {
  let fixture: PipelineFixture;

  beforeAll(async () => {
    fixture = await openPipelineFixture('log-remade');
  });
  afterAll(() => fixture?.cleanup());

  it('is flagged (an error, a gauge, /readyz) and refused at restart, though new events took the log past its progress', async () => {
    const { admin, store, topics } = fixture;
    const projector = await createGenerationProjector(fixture.deps, '');
    await projector.start();
    const { metrics, health } = watchFixtureHealth(fixture, { checkpointsMs: 60_000 });
    const produce = (ids: string[]) => produceOrders(fixture, ids);
    const applied = () => appliedOrders(fixture);
    try {
      await produce(['7001', '7002', '7003', '7004']);
      await waitFor(async () => (await applied()) === 3, { description: 'the four events applied' });
      await waitFor(() => Promise.resolve(metrics.render().includes('test_logs_behind_progress 0')), {
        description: 'the gauge set',
      });

      // The orders topic deleted and made again, empty, as a lost Kafka volume would leave it.
      await admin.deleteTopics({ topics: [topics.orders] });
      await waitFor(async () => !(await admin.listTopics()).includes(topics.orders), {
        description: 'the topic gone',
        timeoutMs: 60_000,
      });
      await ensureTopics(admin, pipelineTopics(topics, 1));
      await waitFor(() => Promise.resolve(metrics.render().includes('test_logs_behind_progress 1')), {
        description: 'the partition flagged',
        timeoutMs: 30_000,
      });
      const logs = health.checks.find((c) => c.name === 'logs');
      expect(await logs?.check()).toBe(false);
      await waitFor(async () => (await keptLogRefusals(store.db, '').list()).length === 1, {
        description: 'the refusal kept',
      });

      // The new log grows past the progress of the old one.
      await produce(['7005', '7006', '7007', '7008', '7009', '7010']);
      await projector.stop();
      const again = createGenerationProjector(fixture.deps, '');
      await expect(again).rejects.toMatchObject({ code: 'ERR_PROJECTOR_LOG_BEHIND', retriable: false });
      await expect(again).rejects.toThrow(`${topics.orders}/0: its log end went down from 4 to 0`);
    } finally {
      health.stop();
      await projector.stop();
    }
  });
});

describe('a running projector whose topic gains partitions', { timeout: 60_000 }, () => {
  let fixture: PipelineFixture;

  beforeAll(async () => {
    fixture = await openPipelineFixture('partitions-added');
  });
  afterAll(() => fixture?.cleanup());

  it('is not ready until restart, where the topics are refused', async () => {
    const { health } = watchFixtureHealth(fixture, { checkpointsMs: 100 });
    const partitions = health.checks.find((c) => c.name === 'partitions');
    try {
      // Read at least once as it was.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await partitions?.check()).toBe(true);
      await fixture.admin.createPartitions({ topicPartitions: [{ topic: fixture.topics.orders, count: 2 }] });
      await waitFor(async () => (await partitions?.check()) === false, {
        description: 'the topic flagged',
        timeoutMs: 30_000,
      });
    } finally {
      health.stop();
    }
  });
});

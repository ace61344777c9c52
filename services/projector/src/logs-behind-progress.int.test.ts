import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressCollection } from '@cdp/read-models';
import { createGenerationProjector } from './generation-projector';
import { openPipelineFixture, type PipelineFixture } from './pipeline-fixture.test-helper';

describe('a projector whose topics lost events it applied', { timeout: 60_000 }, () => {
  let fixture: PipelineFixture;

  beforeAll(async () => {
    fixture = await openPipelineFixture('log-behind');
  });
  afterAll(() => fixture?.cleanup());

  it('refuses to start, naming the partition, rather than take new events for applied ones', async () => {
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
  });
});

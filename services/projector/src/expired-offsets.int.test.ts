import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@cdp/testing';
import { createGenerationProjector, generationGroupId } from './generation-projector';
import {
  appliedOrders,
  openPipelineFixture,
  produceOrders,
  type PipelineFixture,
} from './pipeline-fixture.test-helper';

describe('a projector whose group lost its offsets', { timeout: 90_000 }, () => {
  let fixture: PipelineFixture;

  beforeAll(async () => {
    fixture = await openPipelineFixture('offsets-expired');
  });
  afterAll(() => fixture?.cleanup());

  it('reads on after the events it applied, not from offset 0 again', async () => {
    const { admin, topics } = fixture;
    const groupId = generationGroupId(fixture.prefix, '');
    let applied = 0;
    const deps = {
      ...fixture.deps,
      metrics: { applied: () => void (applied += 1), lastAppliedAt: () => undefined },
    };
    const produce = (ids: string[]) => produceOrders(fixture, ids);
    const appliedOffset = () => appliedOrders(fixture);

    const first = await createGenerationProjector(deps, '');
    await first.start();
    try {
      await produce(['7001', '7002', '7003']);
      await waitFor(async () => (await appliedOffset()) === 2, { description: 'three events applied' });
    } finally {
      await first.stop();
    }
    // As the broker drops the offsets of a group empty past offsets.retention.minutes.
    await admin.deleteGroups([groupId]);
    await produce(['7004']);

    applied = 0;
    const second = await createGenerationProjector(deps, '');
    const committed = async () =>
      (await admin.fetchOffsets({ groupId, topics: [topics.orders] }))[0]?.partitions[0]?.offset;
    await second.start();
    try {
      await waitFor(async () => (await appliedOffset()) === 3, { description: 'the fourth event applied' });
      expect(applied).toBe(1);
      await waitFor(async () => (await committed()) === '4', { description: 'the group committed past it' });
    } finally {
      await second.stop();
    }
  });
});

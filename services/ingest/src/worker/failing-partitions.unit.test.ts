import { describe, expect, it } from 'vitest';
import { createFailingPartitions } from './failing-partitions';

describe("the decider's failing partitions", () => {
  it('counts from the first failure of a partition, however often it is retried', () => {
    const failing = createFailingPartitions();
    failing.failed(2, 1_000);
    failing.failed(2, 5_000);

    expect(failing.longestMs(61_000)).toBe(60_000);
  });

  it('is not cleared by records flowing on other partitions', () => {
    const failing = createFailingPartitions();
    failing.failed(2, 1_000);
    failing.succeeded(0);
    failing.succeeded(5);

    expect(failing.longestMs(61_000)).toBe(60_000);
    failing.succeeded(2);
    expect(failing.longestMs(61_000)).toBe(0);
  });

  it('forgets a partition given to another instance', () => {
    const failing = createFailingPartitions();
    failing.failed(2, 1_000);
    failing.failed(4, 2_000);
    failing.keepOnly([0, 4]);

    expect(failing.longestMs(62_000)).toBe(60_000);
    failing.keepOnly([]);
    expect(failing.longestMs(62_000)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { offsetsToRestore } from './expired-offsets';

describe('offsets to restore for a group that lost them', () => {
  const applied = new Map([
    ['orders/0', 41],
    ['orders/1', -1],
    ['customers/0', 9],
  ]);

  it('reads on after the last applied event where the group has no offset', () => {
    expect(
      offsetsToRestore(
        [
          { topic: 'orders', partition: 0, offset: -1 },
          { topic: 'customers', partition: 0, offset: -1 },
        ],
        applied,
      ),
    ).toEqual([
      { topic: 'orders', partition: 0, offset: 42 },
      { topic: 'customers', partition: 0, offset: 10 },
    ]);
  });

  it('keeps offsets the group has, and leaves partitions nothing was applied from to their start', () => {
    expect(
      offsetsToRestore(
        [
          { topic: 'orders', partition: 0, offset: 30 },
          { topic: 'orders', partition: 1, offset: -1 },
          { topic: 'orders', partition: 2, offset: -1 },
        ],
        applied,
      ),
    ).toEqual([]);
  });
});

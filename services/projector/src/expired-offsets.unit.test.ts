import { describe, expect, it } from 'vitest';
import { offsetsToRestore } from './expired-offsets';

describe('offsets to restore for a group that lost them', () => {
  const applied = new Map([
    ['orders/0', 41],
    ['orders/1', -1],
    ['customers/0', 9],
  ]);

  it('reads on after the last applied event of each partition, where the group has no offset at all', () => {
    expect(
      offsetsToRestore(
        [
          { topic: 'orders', partition: 0, offset: -1 },
          { topic: 'orders', partition: 1, offset: -1 },
          { topic: 'orders', partition: 2, offset: -1 },
          { topic: 'customers', partition: 0, offset: -1 },
        ],
        applied,
      ),
    ).toEqual([
      { topic: 'orders', partition: 0, offset: 42 },
      { topic: 'customers', partition: 0, offset: 10 },
    ]);
  });

  it('restores nothing for a group that has an offset anywhere: its missing ones were not expired', () => {
    // A topic made again, or a first commit a crash beat: read from the start.
    expect(
      offsetsToRestore(
        [
          { topic: 'orders', partition: 0, offset: -1 },
          { topic: 'customers', partition: 0, offset: 10 },
        ],
        applied,
      ),
    ).toEqual([]);
  });
});

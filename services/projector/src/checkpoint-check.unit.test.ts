import { describe, expect, it } from 'vitest';
import { checkpointsAhead } from './checkpoint-check';

describe('whether a committed checkpoint is ahead of the applied events', () => {
  const applied = new Map([
    ['orders/0', 41],
    ['orders/1', 9],
  ]);

  it('is not, when the committed offset is the next one after the last applied, or behind it', () => {
    expect(
      checkpointsAhead(
        [
          { topic: 'orders', partition: 0, offset: 42 },
          { topic: 'orders', partition: 1, offset: 5 },
        ],
        applied,
      ),
    ).toEqual([]);
  });

  it('is not, when nothing is committed yet', () => {
    expect(checkpointsAhead([{ topic: 'orders', partition: 2, offset: -1 }], applied)).toEqual([]);
  });

  it('is, when events up to the committed offset were never applied', () => {
    expect(
      checkpointsAhead(
        [
          { topic: 'orders', partition: 0, offset: 43 },
          { topic: 'orders', partition: 3, offset: 1 },
        ],
        applied,
      ),
    ).toEqual([
      { topic: 'orders', partition: 0, committedOffset: 43, appliedOffset: 41 },
      { topic: 'orders', partition: 3, committedOffset: 1, appliedOffset: -1 },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { nextSend, type Queued } from './next-send';

const queued = (sizes: number[], sent = 0): Queued<number> => ({ records: sizes, sent });
const send = (queue: Queued<number>[], records: number, bytes: number) =>
  nextSend<number, Queued<number>>(queue, { records, bytes }, (size) => size).map(
    ({ queued: q, from, to }) => [queue.indexOf(q), from, to],
  );

describe('the next send of the raw log', () => {
  it('takes whole appends from the front while they fit', () => {
    expect(send([queued([10, 10]), queued([10]), queued([10])], 10, 30)).toEqual([
      [0, 0, 2],
      [1, 0, 1],
    ]);
  });

  it('splits an append that does not fit, by bytes or by count, and goes on where it stopped', () => {
    expect(send([queued([10, 10, 10])], 10, 25)).toEqual([[0, 0, 2]]);
    expect(send([queued([10, 10, 10], 2), queued([5])], 10, 25)).toEqual([
      [0, 2, 3],
      [1, 0, 1],
    ]);
    expect(send([queued([1, 1, 1])], 2, 100)).toEqual([[0, 0, 2]]);
  });

  it('sends a record larger than the limit alone, rather than never', () => {
    expect(send([queued([50, 1])], 10, 20)).toEqual([[0, 0, 1]]);
    expect(send([queued([1]), queued([50])], 10, 20)).toEqual([[0, 0, 1]]);
  });

  it('sends nothing from an empty queue', () => {
    expect(send([], 10, 20)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { createTransactionChunk, runsOf } from './transaction-chunk';

interface Item {
  key: string | null;
  push?: boolean;
}
const runs = (items: Item[], max = 100) =>
  runsOf(
    items,
    (i) => i.key,
    (i) => i.push === true,
    max,
  ).map((run) => run.map((i) => i.key ?? '-'));

describe('splitting raw records into runs that share a transaction', () => {
  it('keeps consecutive records of different aggregates together', () => {
    expect(runs([{ key: 'a' }, { key: 'b' }, { key: null }, { key: 'c' }])).toEqual([['a', 'b', '-', 'c']]);
  });

  it("starts a new run at an aggregate's second record", () => {
    expect(runs([{ key: 'a' }, { key: 'b' }, { key: 'a' }, { key: 'c' }, { key: 'b' }])).toEqual([
      ['a', 'b'],
      ['a', 'c', 'b'],
    ]);
  });

  it('never puts records without an aggregate apart for each other', () => {
    expect(runs([{ key: null }, { key: null }])).toEqual([['-', '-']]);
  });

  it("puts a push's record in a run of its own", () => {
    expect(runs([{ key: 'a' }, { key: 'b', push: true }, { key: 'c' }])).toEqual([['a'], ['b'], ['c']]);
  });

  it('holds at most the given number of records', () => {
    expect(runs([{ key: 'a' }, { key: 'b' }, { key: 'c' }], 2)).toEqual([['a', 'b'], ['c']]);
  });
});

describe('a chunk of decided records', () => {
  const message = (value: string) => ({ key: 'k', value: Buffer.from(value) });

  it('gives its messages by topic in record order, its states and its last offset', () => {
    const chunk = createTransactionChunk<string, number>({ bytes: 1000 });
    chunk.add('r1', '7', [{ topic: 'orders', message: message('o1') }], ['a', 1]);
    chunk.add('r2', '8', [{ topic: 'raw', message: message('x') }], null);
    chunk.add('r3', '9', [{ topic: 'orders', message: message('o3') }], ['c', 3]);
    expect(chunk.records()).toEqual(['r1', 'r2', 'r3']);
    expect(chunk.states()).toEqual([
      ['a', 1],
      ['c', 3],
    ]);
    expect(chunk.lastOffset()).toBe('9');
    expect(
      chunk.topicMessages().map(({ topic, messages }) => [topic, messages.map((m) => String(m.value))]),
    ).toEqual([
      ['orders', ['o1', 'o3']],
      ['raw', ['x']],
    ]);
  });

  it('would overflow when a record takes it past its size counting keys, values and headers, and not when empty', () => {
    const chunk = createTransactionChunk<string, number>({ bytes: 10 });
    const big = [{ topic: 't', message: { key: 'k', value: Buffer.from('0123456789abc') } }];
    expect(chunk.wouldOverflow(big)).toBe(false);
    chunk.add('r1', '1', [{ topic: 't', message: { key: 'k', value: 'abc', headers: { h: 'v' } } }], null);
    expect(chunk.wouldOverflow([{ topic: 't', message: { key: null, value: 'abcd' } }])).toBe(false);
    expect(chunk.wouldOverflow([{ topic: 't', message: { key: null, value: 'abcde' } }])).toBe(true);
    chunk.clear();
    expect([chunk.wouldOverflow(big), chunk.lastOffset(), chunk.records(), chunk.topicMessages()]).toEqual([
      false,
      null,
      [],
      [],
    ]);
  });
});

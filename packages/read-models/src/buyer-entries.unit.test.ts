import { describe, expect, it } from 'vitest';
import { ENTRY_SHARDS, shardOf, totalsOfShards, entryShardSums } from './buyer-entries';
import { totalsOf, type OrderContribution } from './customer-doc';

const entry = (asWritten: string, countsAsOrder = true): OrderContribution => ({
  contributions: { 'as-written': asWritten, 'net-of-refunds': asWritten },
  countsAsOrder,
});

describe('shards of a buyer’s entries', () => {
  it('keep each order in the shard stored ones were written to', () => {
    // Stored shards are read where this says: a change to the count or the hash needs a format bump,
    // a replay, and every sharded buyer moved.
    expect(ENTRY_SHARDS).toBe(64);
    expect(['1000000001', '1069834561', '9001', '9012'].map(shardOf)).toEqual([1, 17, 12, 15]);
  });

  it('spread sequential order ids evenly', () => {
    const counts = new Array<number>(ENTRY_SHARDS).fill(0);
    for (let i = 0; i < 200_000; i++) counts[shardOf(String(1_069_834_561 + i))]! += 1;
    const mean = 200_000 / ENTRY_SHARDS;
    expect(Math.max(...counts) / mean).toBeLessThan(1.1);
    expect(Math.min(...counts) / mean).toBeGreaterThan(0.9);
  });

  it('add up to the totals of the entries they hold', () => {
    const entries = { a: entry('100000'), b: entry('25000.5'), c: entry('0', false), d: entry('7') };
    const shards = {
      '0': entryShardSums({ a: entries.a, c: entries.c }),
      '1': entryShardSums({ b: entries.b, d: entries.d }),
    };
    expect(totalsOfShards(shards)).toEqual(totalsOf(entries));
    expect(shards['0']).toMatchObject({ entries: 2, totalOrders: 1 });
  });
});

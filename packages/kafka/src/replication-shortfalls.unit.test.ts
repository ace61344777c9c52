import { describe, expect, it } from 'vitest';
import { replicationShortfalls } from './replication-shortfalls';

describe('what existing topics lack of the replication asked for', () => {
  const specs = [
    { topic: 'raw', numPartitions: 6, replicationFactor: 3 },
    { topic: 'orders', numPartitions: 6, replicationFactor: 3 },
    { topic: 'state', numPartitions: 6 },
  ];

  it('names topics with fewer replicas, or fewer in-sync replicas required, than asked', () => {
    const replicas = new Map([
      ['raw', 3],
      ['orders', 1],
      ['state', 1],
    ]);
    const inSync = new Map([
      ['raw', 1],
      ['orders', 2],
    ]);
    expect(replicationShortfalls(specs, replicas, inSync)).toEqual([
      'raw has min.insync.replicas 1, not 2',
      'orders has 1 replicas, not 3',
    ]);
  });

  it('asks nothing of topics left to the broker’s defaults, nor of topics kept as asked', () => {
    const kept = new Map([
      ['raw', 3],
      ['orders', 3],
      ['state', 1],
    ]);
    expect(
      replicationShortfalls(
        specs,
        kept,
        new Map([
          ['raw', 2],
          ['orders', 2],
        ]),
      ),
    ).toEqual([]);
  });
});

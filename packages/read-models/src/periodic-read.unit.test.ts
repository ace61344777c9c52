import { describe, expect, it } from 'vitest';
import { periodicRead } from './periodic-read';

/** Reads that end when the test says, each numbered in the order it began. */
function heldReads() {
  const ends: Array<(failure?: Error) => void> = [];
  const read = () =>
    new Promise<void>((resolve, reject) => ends.push((failure) => (failure ? reject(failure) : resolve())));
  const end = async (n: number, failure?: Error) => {
    ends[n]?.(failure);
    // Let the settled read's callers run, and the next read begin.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { read, end, begun: () => ends.length };
}

describe('a periodic read', () => {
  it('answers a refresh with a read begun after it, one at a time, shared by the callers meanwhile', async () => {
    const reads = heldReads();
    const { refresh } = periodicRead(reads.read, null);
    const settled: string[] = [];
    const first = refresh().then(() => settled.push('first'));
    const second = refresh().then(() => settled.push('second'));
    const third = refresh().then(() => settled.push('third'));
    expect(reads.begun()).toBe(1);

    await reads.end(0);
    // The read under way when the second and third asked answers the first only.
    expect(settled).toEqual(['first']);
    expect(reads.begun()).toBe(2);

    await reads.end(1);
    await Promise.all([first, second, third]);
    expect(settled).toEqual(['first', 'second', 'third']);
    expect(reads.begun()).toBe(2);
  });

  it('begins the next read after one that failed, and hands its callers the failure', async () => {
    const reads = heldReads();
    const { refresh } = periodicRead(reads.read, null);
    const first = refresh();
    const second = refresh();
    await reads.end(0, new Error('broker down'));
    await expect(first).rejects.toThrow('broker down');
    expect(reads.begun()).toBe(2);
    await reads.end(1);
    await expect(second).resolves.toBeUndefined();
  });

  it('has its timer join a read under way rather than begin another', async () => {
    const reads = heldReads();
    const { refresh, stop } = periodicRead(reads.read, 5);
    try {
      const asked = refresh();
      await new Promise((resolve) => setTimeout(resolve, 40));
      expect(reads.begun()).toBe(1);
      await reads.end(0);
      await asked;
    } finally {
      stop();
    }
  });
});

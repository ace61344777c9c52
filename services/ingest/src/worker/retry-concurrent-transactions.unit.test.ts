import { describe, expect, it } from 'vitest';
import { retryConcurrentTransactions } from './retry-concurrent-transactions';

const concurrent = () =>
  Object.assign(new Error('another operation is ongoing'), { type: 'CONCURRENT_TRANSACTIONS' });
const noWait = () => Promise.resolve();
const retry = { attempts: 4, firstDelayMs: 20, maxDelayMs: 50 };

/** A step that fails with each of `failures` in turn, then succeeds. */
function failingFirst(failures: Error[]) {
  let calls = 0;
  return {
    step: () => {
      const failure = failures[calls++];
      return failure ? Promise.reject(failure) : Promise.resolve(calls);
    },
    calls: () => calls,
  };
}

describe('retrying a transaction step while the coordinator completes the previous one', () => {
  it('tries again after growing waits, capped, and returns what the step gave', async () => {
    const waits: number[] = [];
    const op = failingFirst([concurrent(), concurrent(), concurrent()]);
    const result = await retryConcurrentTransactions(op.step, retry, (ms) => {
      waits.push(ms);
      return Promise.resolve();
    });
    expect(result).toBe(4);
    expect(waits).toEqual([20, 40, 50]);
  });

  it('gives up with the last error once the attempts are spent', async () => {
    const op = failingFirst([concurrent(), concurrent(), concurrent(), concurrent(), concurrent()]);
    await expect(retryConcurrentTransactions(op.step, retry, noWait)).rejects.toMatchObject({
      type: 'CONCURRENT_TRANSACTIONS',
    });
    expect(op.calls()).toBe(4);
  });

  it('does not retry any other failure', async () => {
    const fenced = Object.assign(new Error('fenced'), { type: 'INVALID_PRODUCER_EPOCH' });
    const op = failingFirst([fenced]);
    await expect(retryConcurrentTransactions(op.step, retry, noWait)).rejects.toBe(fenced);
    expect(op.calls()).toBe(1);
  });
});

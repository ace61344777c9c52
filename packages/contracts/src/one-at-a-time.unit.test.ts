import { describe, expect, it } from 'vitest';
import { oneAtATime } from './one-at-a-time';

describe('one at a time', () => {
  it('starts each piece of work once the one before has settled, in the order given', async () => {
    const inTurn = oneAtATime();
    const log: string[] = [];
    const work = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([inTurn(work('a', 20)), inTurn(work('b', 1)), inTurn(work('c', 5))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('gives a failure to its own caller only, and goes on with the next', async () => {
    const inTurn = oneAtATime();
    const failed = inTurn(() => Promise.reject(new Error('boom')));
    const next = inTurn(() => Promise.resolve('next'));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });
});

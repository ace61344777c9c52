import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@cdp/logging';
import { followGeneration } from './follow-generation';

const log = createLogger('follow-test', 'silent');

describe('the live projector following a generation switch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('moves once to each new generation, and only once the projector runs', async () => {
    let stored = '';
    const followed: string[] = [];
    const generations = followGeneration(
      {
        current: () => Promise.resolve(stored),
        follow: () => Promise.resolve(void followed.push(generations.generation())),
        log,
      },
      '',
      1_000,
    );
    stored = '_v2';
    await vi.advanceTimersByTimeAsync(5_000);
    expect(followed).toEqual([]);

    generations.start();
    await vi.advanceTimersByTimeAsync(3_000);
    stored = '_v3';
    await vi.advanceTimersByTimeAsync(3_000);
    expect(followed).toEqual(['_v2', '_v3']);
    expect(generations.generation()).toBe('_v3');
    generations.stop();
  });

  it('reads the generation again after a read failed, and checks no more once stopped', async () => {
    let reads = 0;
    const followed: string[] = [];
    const generations = followGeneration(
      {
        current: () => (++reads === 1 ? Promise.reject(new Error('store away')) : Promise.resolve('_v2')),
        follow: () => Promise.resolve(void followed.push(generations.generation())),
        log,
      },
      '',
      1_000,
    );
    generations.start();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(followed).toEqual(['_v2']);
    generations.stop();
    const readsWhenStopped = reads;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(reads).toBe(readsWhenStopped);
  });

  it('follows again at the next check when following failed', async () => {
    let tries = 0;
    const generations = followGeneration(
      {
        current: () => Promise.resolve('_v2'),
        follow: () => (++tries === 1 ? Promise.reject(new Error('stop failed')) : Promise.resolve()),
        log,
      },
      '',
      1_000,
    );
    generations.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(generations.generation()).toBe('');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(tries).toBe(2);
    expect(generations.generation()).toBe('_v2');
    generations.stop();
  });

  it('does not check again while a switch is still under way', async () => {
    let stored = '_v2';
    let following = 0;
    let overlapped = false;
    const generations = followGeneration(
      {
        current: () => Promise.resolve(stored),
        follow: async () => {
          if (++following > 1) overlapped = true;
          await new Promise((resolve) => setTimeout(resolve, 10_000));
          following -= 1;
        },
        log,
      },
      '',
      1_000,
    );
    generations.start();
    await vi.advanceTimersByTimeAsync(1_500);
    stored = '_v3';
    await vi.advanceTimersByTimeAsync(30_000);
    expect(overlapped).toBe(false);
    expect(generations.generation()).toBe('_v3');
    generations.stop();
  });
});

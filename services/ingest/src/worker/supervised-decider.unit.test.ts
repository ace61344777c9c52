import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@cdp/logging';
import type { DeciderWorker } from './decider-worker';
import { superviseDecider, type DeciderHooks, type RestartPolicy } from './supervised-decider';

const policy: RestartPolicy = { firstDelayMs: 100, maxDelayMs: 400, stableMs: 1_000, loopAfter: 3 };

/** Deciders that record their life and can be crashed as kafkajs would. */
function fakeDeciders(opts: { failStart?: (n: number) => boolean; startMs?: number } = {}) {
  const made: { hooks: DeciderHooks; started: boolean; stopped: boolean }[] = [];
  const create = (hooks: DeciderHooks): DeciderWorker => {
    const n = made.length;
    const life = { hooks, started: false, stopped: false };
    made.push(life);
    return {
      start: async () => {
        if (opts.failStart?.(n)) {
          // Kafka answers, late, that it is away.
          if (opts.startMs) await new Promise((resolve) => setTimeout(resolve, opts.startMs));
          throw new Error('Kafka away');
        }
        life.started = true;
      },
      stop: () => {
        life.stopped = true;
        return Promise.resolve();
      },
      running: () => life.started && !life.stopped,
      failingForMs: () => 0,
    };
  };
  const crash = (n: number) => made[n]?.hooks.onCrash(new Error('INVALID_TXN_STATE'));
  return { made, create, crash };
}

describe('superviseDecider', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const started = async (opts: Parameters<typeof fakeDeciders>[0] = {}) => {
    const deciders = fakeDeciders(opts);
    const supervised = superviseDecider(deciders.create, {
      log: createLogger('supervised-decider-test', 'silent'),
      policy,
    });
    await supervised.start();
    return { deciders, supervised };
  };

  it('replaces a decider kafkajs stopped for good with a new one, once the first delay has passed', async () => {
    const { deciders, supervised } = await started();

    deciders.crash(0);
    await vi.advanceTimersByTimeAsync(99);
    expect(deciders.made).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(deciders.made).toHaveLength(2);
    expect(deciders.made[0]?.stopped).toBe(true);
    expect(deciders.made[1]?.started).toBe(true);
    expect(supervised.running()).toBe(true);
  });

  it('waits twice as long after each crash in a row, up to the longest delay, and says it is not running once they loop', async () => {
    const { deciders, supervised } = await started();

    const waits: number[] = [];
    for (let n = 0; n < 4; n++) {
      deciders.crash(n);
      let waited = 0;
      while (deciders.made.length === n + 1) {
        await vi.advanceTimersByTimeAsync(10);
        waited += 10;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([100, 200, 400, 400]);
    expect(supervised.running()).toBe(false);

    // A decider that lasts ends the row: it runs, and its crash waits the first delay again.
    await vi.advanceTimersByTimeAsync(policy.stableMs);
    expect(supervised.running()).toBe(true);
    deciders.crash(4);
    await vi.advanceTimersByTimeAsync(100);
    expect(deciders.made).toHaveLength(6);
  });

  it('tries again when a new decider cannot start, and counts it as a crash', async () => {
    const { deciders } = await started({ failStart: (n) => n === 1 });

    deciders.crash(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(deciders.made[1]?.started).toBe(false);
    await vi.advanceTimersByTimeAsync(199);
    expect(deciders.made).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(deciders.made).toHaveLength(3);
    expect(deciders.made[2]?.started).toBe(true);
  });

  it('starts nothing once stopped, and ignores a crash of a decider already replaced', async () => {
    const { deciders, supervised } = await started();

    deciders.crash(0);
    await vi.advanceTimersByTimeAsync(100);
    deciders.crash(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(deciders.made).toHaveLength(2);

    deciders.crash(1);
    await supervised.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(deciders.made).toHaveLength(2);
    expect(deciders.made[1]?.stopped).toBe(true);
    expect(supervised.running()).toBe(false);
  });

  it('arms no restart when a new decider fails to start after the supervisor was stopped', async () => {
    const { deciders, supervised } = await started({ failStart: (n) => n === 1, startMs: 50 });
    deciders.crash(0);
    await vi.advanceTimersByTimeAsync(120);
    // Stopped while the new decider is still starting; its start then fails.
    const stopping = supervised.stop();
    await vi.advanceTimersByTimeAsync(50);
    await stopping;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps the partitions failing across deciders, so a record that crashes each one still counts from its first failure', async () => {
    const { deciders, supervised } = await started();

    deciders.made[0]?.hooks.failing.failed(2, Date.now());
    deciders.crash(0);
    await vi.advanceTimersByTimeAsync(500);
    expect(deciders.made[1]?.hooks.failing).toBe(deciders.made[0]?.hooks.failing);
    expect(supervised.failingForMs()).toBe(500);
  });
});

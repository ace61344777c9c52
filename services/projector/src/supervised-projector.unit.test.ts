import { describe, expect, it } from 'vitest';
import { AppError } from '@cdp/contracts';
import { createLogger } from '@cdp/logging';
import type { Projector } from './projector';
import { superviseProjector } from './supervised-projector';

/** Projectors whose start fails while `failing` says so; `running` counts those started and not stopped. */
function projectors(failing: (n: number) => boolean) {
  const made = { count: 0, running: 0 };
  const create = (): Promise<Projector> => {
    const n = ++made.count;
    let started = false;
    return Promise.resolve({
      start: () => {
        if (failing(n)) return Promise.reject(new Error(`store away (${n})`));
        started = true;
        made.running += 1;
        return Promise.resolve();
      },
      stop: () => {
        if (started) made.running -= 1;
        started = false;
        return Promise.resolve();
      },
      exclusive: (work) => work(),
    } as Projector);
  };
  return { made, create };
}

const log = createLogger('supervisor-test', 'silent');

describe('the projector supervisor replacing a projector', () => {
  it('tries a replacement that cannot start again until one starts', async () => {
    const { made, create } = projectors((n) => n === 2 || n === 3);
    const supervisor = superviseProjector(create, { log, restartDelayMs: 5 });
    await supervisor.start();

    await supervisor.restart();

    expect(made).toEqual({ count: 4, running: 1 });
    await supervisor.stop();
    expect(made.running).toBe(0);
  });

  it('stops trying a replacement refused for good, and says so', async () => {
    const refusal = new AppError('ERR_PROJECTOR_LOG_BEHIND', 'logs end before events applied', false);
    let n = 0;
    const create = (): Promise<Projector> => {
      n += 1;
      return n === 1 ? projectors(() => false).create() : Promise.reject(refusal);
    };
    const refused: AppError[] = [];
    const supervisor = superviseProjector(create, {
      log,
      restartDelayMs: 5,
      onRefused: (error) => refused.push(error),
    });
    await supervisor.start();

    await supervisor.restart();

    expect(refused).toEqual([refusal]);
    expect(n).toBe(2);
    // Nothing runs: what asks for the projector is told so, not handed the one stopped.
    expect(() => supervisor.current).toThrow('not started');
    await expect(supervisor.exclusive(() => Promise.resolve())).rejects.toThrow('not running');
  });

  it('stops trying once stopped, however long the wait before the next try', async () => {
    const { made, create } = projectors((n) => n > 1);
    const supervisor = superviseProjector(create, { log, restartDelayMs: 60_000 });
    await supervisor.start();
    const restarting = supervisor.restart();
    await new Promise((resolve) => setTimeout(resolve, 20));

    await supervisor.stop();
    await restarting;

    expect(made).toEqual({ count: 2, running: 0 });
  });
});

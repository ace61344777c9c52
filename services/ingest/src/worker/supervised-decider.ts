import { oneAtATime } from '@cdp/contracts';
import type { Logger } from '@cdp/logging';
import type { DeciderWorker } from './decider-worker';
import { createFailingPartitions, type FailingPartitions } from './failing-partitions';

/** What each decider the supervisor makes is given. */
export interface DeciderHooks {
  onCrash: (error: Error) => void;
  failing: FailingPartitions;
}

export interface RestartPolicy {
  /** Wait before the first restart; it doubles with each crash in a row, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A decider that ran this long before it crashed ends a row of crashes. */
  stableMs: number;
  /** Crashes in a row after which the decider reports itself not running (`/readyz`). */
  loopAfter: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  firstDelayMs: 1_000,
  maxDelayMs: 60_000,
  stableMs: 60_000,
  loopAfter: 3,
};

/**
 * Keeps raw records being decided. kafkajs gives up on a consumer whose error is marked
 * non-retriable (a broker error such as INVALID_TXN_STATE or MESSAGE_TOO_LARGE, or an error thrown
 * with `retriable: false`): it emits CRASH and stops while the process lives on, so webhooks were
 * still accepted but became no events until a restart. The supervisor then replaces the decider,
 * waiting longer after each crash in a row. Nothing past the failing chunk was committed, so the new
 * one reads on from there. The partitions' failures are kept across deciders: a record that crashes
 * each of them still shows in `failingForMs`, and a row of crashes of any cause in `running()`.
 */
export function superviseDecider(
  create: (hooks: DeciderHooks) => DeciderWorker,
  opts: { log: Logger; policy?: RestartPolicy; now?: () => number },
): DeciderWorker {
  const policy = opts.policy ?? defaultRestartPolicy;
  const now = opts.now ?? Date.now;
  const failing = createFailingPartitions();
  // A replacement and stop take turns: a stop never races a decider being started.
  const serially = oneAtATime();
  let current: DeciderWorker | null = null;
  let startedAt = 0;
  let crashesInARow = 0;
  let restart: NodeJS.Timeout | null = null;
  let stopped = false;

  function crashed(error: unknown, what: string): void {
    if (stopped) return;
    crashesInARow = now() - startedAt >= policy.stableMs ? 1 : crashesInARow + 1;
    const delayMs = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (crashesInARow - 1));
    opts.log.error({ err: error, crashesInARow, restartInMs: delayMs }, what);
    restart = setTimeout(() => {
      restart = null;
      void serially(replace).catch((error: unknown) =>
        crashed(error, 'a new decider did not start; trying again'),
      );
    }, delayMs);
  }

  async function launch(): Promise<void> {
    const self: DeciderWorker = create({
      failing,
      onCrash: (error) => {
        // A crash of a decider already replaced needs nothing (nor one stopped: see crashed).
        if (current === self && restart === null) crashed(error, 'the decider stopped; a new one takes over');
      },
    });
    current = self;
    startedAt = now();
    await self.start();
  }

  async function replace(): Promise<void> {
    if (stopped) return;
    await current?.stop().catch(() => undefined);
    await launch();
  }

  return {
    start: () => serially(launch),
    stop: () => {
      stopped = true;
      if (restart) clearTimeout(restart);
      restart = null;
      return serially(async () => {
        await current?.stop();
      });
    },
    running: () =>
      !stopped &&
      (crashesInARow < policy.loopAfter || (restart === null && now() - startedAt >= policy.stableMs)),
    failingForMs: (at = now()) => failing.longestMs(at),
  };
}

import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, oneAtATime } from '@cdp/contracts';
import type { Logger } from '@cdp/logging';
import type { Projector } from './projector';

export interface SupervisedProjector {
  readonly current: Projector;
  start(): Promise<void>;
  /** Stops the running projector and starts a fresh one from `create` (after a generation switch). */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** `Projector.exclusive` of whichever projector runs; restarts wait for `work` to end. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Keeps a projector consuming. kafkajs gives up on a consumer whose batch handler throws an error it
 * does not count as retriable (a writer bug, a write the store refuses): it emits CRASH and stops
 * fetching while the process lives on. The supervisor then replaces the projector. Nothing past the
 * failing batch was committed, and the new consumer's first batch counts every event at receipt, so
 * an event that keeps killing the consumer is parked after `maxAttempts` instead of stalling all.
 * A replacement that cannot start (the store or Kafka away) is tried again, the wait doubling up to
 * `maxRestartDelayMs`, until one starts or the supervisor is stopped.
 */
export function superviseProjector(
  create: (onCrash: (error: Error) => void) => Promise<Projector>,
  opts: {
    log: Logger;
    restartDelayMs?: number;
    maxRestartDelayMs?: number;
    /** A replacement refused for good (a non-retriable AppError, such as a log behind its progress). */
    onRefused?: (error: AppError) => void;
  },
): SupervisedProjector {
  let projector: Projector | null = null;
  let stopped = false;
  const stopping = new AbortController();
  // Restarts (crashes, generation switches), stop and exclusive work take turns.
  const serially = oneAtATime();

  async function launch() {
    let self: Projector | null = null;
    const onCrash = (error: Error) => {
      opts.log.error({ err: error }, 'projector consumer crashed; replacing it');
      setTimeout(() => {
        // A crash of a projector already replaced or stopped needs nothing.
        if (!stopped && projector === self)
          serially(replace).catch((error: unknown) =>
            opts.log.error({ err: error }, 'restarting the projector failed'),
          );
      }, opts.restartDelayMs ?? 1_000);
    };
    self = await create(onCrash);
    projector = self;
    try {
      await self.start();
    } catch (error) {
      await self.stop().catch(() => undefined);
      throw error;
    }
  }

  async function replace() {
    if (stopped) return;
    await projector?.stop();
    let delayMs = opts.restartDelayMs ?? 1_000;
    while (!stopped) {
      try {
        return await launch();
      } catch (error) {
        // Trying again would only hide it behind a readiness that still holds.
        if (error instanceof AppError && !error.retriable && opts.onRefused) {
          // Nothing runs any more: what asks for the projector is told so.
          stopped = true;
          projector = null;
          return opts.onRefused(error);
        }
        opts.log.error({ err: error, retryInMs: delayMs }, 'starting the projector failed; trying again');
        await sleep(delayMs, undefined, { signal: stopping.signal }).catch(() => undefined);
        delayMs = Math.min(delayMs * 2, opts.maxRestartDelayMs ?? 30_000);
      }
    }
  }

  return {
    get current() {
      if (!projector) throw new Error('the projector has not started');
      return projector;
    },
    start: () => serially(launch),
    restart: () => serially(replace),
    stop: () => {
      // At once, not in turn: a restart waiting to try again ends its wait.
      stopped = true;
      stopping.abort();
      return serially(async () => {
        await projector?.stop();
      });
    },
    exclusive: (work) =>
      serially(() => {
        if (!projector || stopped) throw new Error('the projector is not running');
        return projector.exclusive(work);
      }),
  };
}

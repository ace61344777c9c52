import type { Logger } from '@cdp/logging';

/** How often the live projector looks for a generation switch. */
const CHECK_EVERY_MS = 5_000;

export interface GenerationFollower {
  /** The generation the live projector writes now. */
  generation(): string;
  /** Starts checking, once the projector runs. */
  start(): void;
  stop(): void;
}

/**
 * A finished rebuild switches the read-model generation; the live projector follows it onto the
 * new collections. Checks run one at a time (a slow switch is not started again meanwhile); one
 * that fails, reading the generation or following it, is logged and made again at the next check.
 */
export function followGeneration(
  deps: {
    current: () => Promise<string>;
    /** Moves the live projector to the generation `generation()` now answers. */
    follow: () => Promise<void>;
    log: Logger;
  },
  initial: string,
  checkEveryMs = CHECK_EVERY_MS,
): GenerationFollower {
  let generation = initial;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function check() {
    const latest = await deps.current();
    if (latest === generation || stopped) return;
    deps.log.info({ from: generation, to: latest }, 'read-model generation switched; following it');
    const previous = generation;
    generation = latest;
    try {
      await deps.follow();
    } catch (error) {
      // Tried again at the next check.
      generation = previous;
      throw error;
    }
  }

  const schedule = () => {
    timer = setTimeout(() => {
      check()
        .catch((error: unknown) => deps.log.error({ err: error }, 'following the generation switch failed'))
        .finally(() => {
          if (!stopped) schedule();
        });
    }, checkEveryMs);
  };

  return {
    generation: () => generation,
    start: schedule,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

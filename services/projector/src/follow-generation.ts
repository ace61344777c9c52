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
 * new collections. Checks run one at a time (a slow switch is not started again meanwhile); a
 * generation that cannot be read is logged and read again at the next check. `follow` replaces the
 * projector through its supervisor, which goes on trying until a replacement starts.
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
    generation = latest;
    await deps.follow();
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

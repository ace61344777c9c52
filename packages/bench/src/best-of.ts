import type { Rate } from './measure-rate';

/** A run with this process's CPU time per request (load client and servers live in this process). */
interface TimedRun {
  rate: Rate;
  latenciesMs: number[];
  cpuMicrosPerRequest: number;
}

type Side = () => Promise<{ rate: Rate; latenciesMs: number[] }>;

const ROUNDS = 2;

/**
 * Runs each side `ROUNDS` times, alternating, and keeps each side's fastest run: one scheduler
 * hiccup, late JIT or store stall on a 2-core machine then skews neither a target nor its baseline.
 */
export async function bestOfAlternating<const Sides extends readonly Side[]>(
  requests: number,
  sides: Sides,
): Promise<{ [K in keyof Sides]: TimedRun }> {
  const best: (TimedRun | null)[] = sides.map(() => null);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, run] of sides.entries()) {
      const before = process.cpuUsage();
      const result = await run();
      const cpu = process.cpuUsage(before);
      const timed = { ...result, cpuMicrosPerRequest: (cpu.user + cpu.system) / requests };
      const kept = best[i];
      if (!kept || timed.rate.perSecond > kept.rate.perSecond) best[i] = timed;
    }
  }
  return best.map((run) => {
    if (!run) throw new Error('no rounds ran');
    return run;
  }) as { [K in keyof Sides]: TimedRun };
}

import { openBenchInfra } from './bench-infra';
import { timedRebuild } from './full-rebuild.bench';
import { generationDepsFor, produceEvents } from './produce-events';
import type { BenchResult } from './result';
import type { BenchScale } from './scale';

const TARGET_MB_PER_100K = 20;
const MB = 1024 * 1024;

interface Sample {
  done: number;
  rssMb: number;
}

/** Least-squares slope of RSS over events applied, in MB per 100k events. */
function slopePer100k(samples: readonly Sample[]): number {
  if (samples.length < 2) return 0;
  const mean = (f: (s: Sample) => number) => samples.reduce((sum, s) => sum + f(s), 0) / samples.length;
  const mx = mean((s) => s.done);
  const my = mean((s) => s.rssMb);
  const sxy = samples.reduce((sum, s) => sum + (s.done - mx) * (s.rssMb - my), 0);
  const sxx = samples.reduce((sum, s) => sum + (s.done - mx) ** 2, 0);
  return sxx === 0 ? 0 : (sxy / sxx) * 100_000;
}

/** Resident memory of this process (the projector runs in it) sampled every second during a rebuild. */
export async function projectorMemoryBench(scale: BenchScale): Promise<BenchResult[]> {
  const total = scale.memoryEvents;
  const bench = await openBenchInfra('bench-memory');
  try {
    const deps = await generationDepsFor(bench);
    await produceEvents(bench, deps.codec, total);
    const samples: Sample[] = [];
    let done = 0;
    const sampler = setInterval(() => samples.push({ done, rssMb: process.memoryUsage.rss() / MB }), 1000);
    const startRssMb = process.memoryUsage.rss() / MB;
    try {
      await timedRebuild(bench, deps, (applied) => {
        done = applied;
      });
    } finally {
      clearInterval(sampler);
    }
    const at = (fraction: number) => samples.find((s) => s.done >= fraction * total)?.rssMb ?? NaN;
    // From 10% on: the first batches warm caches and pools, which is not growth per event.
    const slope = slopePer100k(samples.filter((s) => s.done >= 0.1 * total));
    return [
      {
        scenario: 'projector memory (rebuild)',
        unit: 'MB/100k events',
        measured: slope,
        baseline: null,
        baselineLabel: '',
        ratio: null,
        target: `<= ${TARGET_MB_PER_100K}`,
        pass: slope <= TARGET_MB_PER_100K,
        details: {
          events: total,
          samples: samples.length,
          rssStartMb: startRssMb,
          rssAt10pctMb: at(0.1),
          rssAt50pctMb: at(0.5),
          rssAt90pctMb: at(0.9),
          rssPeakMb: Math.max(...samples.map((s) => s.rssMb)),
        },
      },
    ];
  } finally {
    await bench.cleanup();
  }
}

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generationGroupId } from '@cdp/projector';
import { PROJECTOR_NODE_FLAGS } from '@cdp/projector/node-flags';
import { findRepoRoot, infraEnv } from '@cdp/testing';
import { openBenchInfra, type BenchInfra } from './bench-infra';
import { generationDepsFor, produceEvents } from './produce-events';
import type { BenchResult } from './result';
import type { BenchScale } from './scale';

const TARGET_MB_PER_100K = 20;

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

/** Resident set of a live process, from /proc (Linux). */
function rssMbOf(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

interface ReplayRun {
  samples: Sample[];
  suffix: string;
}

/**
 * `pnpm replay --no-switch` as its own process, started as it is deployed (node flags included),
 * over the scenario's topics and database. Its progress lines say how far it is; its RSS is read
 * every second.
 */
function replayInChildProcess(bench: BenchInfra): Promise<ReplayRun> {
  const repoRoot = findRepoRoot();
  const child = spawn(
    process.execPath,
    [
      ...PROJECTOR_NODE_FLAGS,
      ...['--import', 'tsx', join(repoRoot, 'services/projector/src/replay-cli.ts')],
      ...['--no-switch', '--restart'],
    ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...infraEnv(bench.infra),
        MONGODB_DB: bench.testDb.db.databaseName,
        TOPIC_PREFIX: bench.prefix,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const samples: Sample[] = [];
  let done = 0;
  let stdout = '';
  let stderrTail = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4096);
    for (const match of chunk.matchAll(/ (\d+)\/\d+ events/g)) done = Number(match[1]);
  });
  const sampler = setInterval(() => {
    const rssMb = child.pid === undefined ? null : rssMbOf(child.pid);
    if (rssMb !== null) samples.push({ done, rssMb });
  }, 1000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(sampler);
      const suffix = /into generation (\S+);/.exec(stdout)?.[1];
      if (code === 0 && suffix !== undefined) resolve({ samples, suffix });
      else reject(new Error(`replay exited ${signal ?? code}: ${stdout}${stderrTail}`));
    });
  });
}

/** Resident memory of the replay process during a rebuild of `memoryEvents` events. */
export async function projectorMemoryBench(scale: BenchScale): Promise<BenchResult[]> {
  const total = scale.memoryEvents;
  const bench = await openBenchInfra('bench-memory');
  try {
    const deps = await generationDepsFor(bench);
    await produceEvents(bench, deps.codec, total);
    const { samples, suffix } = await replayInChildProcess(bench);
    bench.groups.add(generationGroupId(bench.prefix, suffix));
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
          nodeFlags: PROJECTOR_NODE_FLAGS.join(' '),
          rssFirstMb: samples[0]?.rssMb ?? NaN,
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

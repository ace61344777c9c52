import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backfillPacingBench } from './backfill-pacing.bench';
import { fullRebuildBench } from './full-rebuild.bench';
import { projectorMemoryBench } from './projector-memory.bench';
import { readApiBench } from './read-api.bench';
import { webhookIngestBench } from './webhook-ingest.bench';
import { formatTable, type BenchResult } from './result';
import { benchScale, type BenchScale } from './scale';

const SCENARIOS: Record<string, (scale: BenchScale) => Promise<BenchResult[]>> = {
  'webhook-ingest': webhookIngestBench,
  'backfill-pacing': backfillPacingBench,
  'full-rebuild': fullRebuildBench,
  'read-api': readApiBench,
  'projector-memory': projectorMemoryBench,
};

/** Runs every scenario, or those named in argv, one after another (they share 2 cores). */
async function main() {
  const scale = benchScale();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !(name in SCENARIOS));
  if (unknown.length > 0)
    throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  const names = wanted.length > 0 ? wanted : Object.keys(SCENARIOS);
  const results: BenchResult[] = [];
  const failed: string[] = [];
  for (const name of names) {
    const started = performance.now();
    console.log(`▶ ${name} (BENCH_SCALE=${scale.name})`);
    // One broken scenario must not hide the others' figures; it still fails the run below.
    try {
      results.push(...(await (SCENARIOS[name] as (scale: BenchScale) => Promise<BenchResult[]>)(scale)));
    } catch (error) {
      failed.push(name);
      console.error(`  ${name} failed:`, error);
    }
    console.log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  console.log(`\n${formatTable(results)}`);
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench-results.json');
  writeFileSync(
    out,
    `${JSON.stringify({ scale: scale.name, at: new Date().toISOString(), results, failed }, null, 2)}\n`,
  );
  console.log(`\nwritten to ${out}`);
  if (failed.length > 0) throw new Error(`scenario(s) failed: ${failed.join(', ')}`);
}

await main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

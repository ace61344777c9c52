/** Workload sizes: `small` keeps the default `pnpm bench` under ~10 minutes on 2 cores; `large` is opt-in. */
export interface BenchScale {
  name: 'small' | 'large';
  webhookRequests: number;
  httpConcurrency: number;
  backfillOrders: number;
  backfillWindowSec: number;
  rebuildEvents: number;
  readRequests: number;
  memoryEvents: number;
}

const SCALES: Record<BenchScale['name'], BenchScale> = {
  small: {
    name: 'small',
    webhookRequests: 5000,
    httpConcurrency: 32,
    backfillOrders: 20_000,
    backfillWindowSec: 45,
    // A rebuild applies ~1,500 events/s on FerretDB here: big enough that start-up is not the figure.
    rebuildEvents: 30_000,
    readRequests: 3000,
    memoryEvents: 100_000,
  },
  large: {
    name: 'large',
    webhookRequests: 20_000,
    httpConcurrency: 32,
    backfillOrders: 100_000,
    backfillWindowSec: 120,
    rebuildEvents: 100_000,
    readRequests: 20_000,
    memoryEvents: 1_000_000,
  },
};

export function benchScale(env: Record<string, string | undefined> = process.env): BenchScale {
  const name = env.BENCH_SCALE ?? 'small';
  if (name !== 'small' && name !== 'large')
    throw new Error(`BENCH_SCALE must be small or large, not ${name}`);
  return SCALES[name];
}

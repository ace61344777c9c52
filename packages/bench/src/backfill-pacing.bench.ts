import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { createSimApp, createSimShop } from '@cdp/haravan-sim';
import { createPollingManager, createRawLog, type PollingConfig } from '@cdp/ingest';
import { createLogger } from '@cdp/logging';
import { createBenchTenant, openBenchInfra } from './bench-infra';
import { listen } from '@cdp/testing';
import { rateOf } from './measure-rate';
import type { BenchResult } from './result';
import type { BenchScale } from './scale';

const TARGET = 0.9;
const DAY = 86_400_000;

/**
 * Ingest's production defaults (services/ingest/src/config.ts; its schema is not exported): the
 * bucket is Haravan's 80 calls draining 4/s, 10 kept free for pushes and other apps.
 */
const POLLING: PollingConfig = {
  intervalsMs: { orders: 60_000, customers: 900_000, products: 900_000 },
  overlapMs: 120_000,
  pageSize: 50,
  bucket: { capacity: 80, drainPerSecond: 4, reserve: 10 },
  retry: { attempts: 5, throttledAttempts: 20, baseMs: 500, maxMs: 30_000, timeoutMs: 30_000 },
  pushIntervalMs: 1_000,
  pushRetentionMs: 86_400_000,
  failureDelayMs: 30_000,
};

/** The polling manager backfilling a large simulated shop behind Haravan's real leaky bucket. */
export async function backfillPacingBench(scale: BenchScale): Promise<BenchResult[]> {
  const { capacity, drainPerSecond, reserve } = POLLING.bucket;
  // History in the recent past, so the shop's timestamps and the poller's windows agree.
  const shop = createSimShop({
    seed: 11,
    startTime: new Date(Date.now() - 100 * DAY),
    bucket: { capacity, drainPerSecond },
  });
  shop.generate({
    customers: Math.ceil(scale.backfillOrders / 5),
    orders: scale.backfillOrders,
    products: 200,
    spanDays: 90,
  });

  // Every call the shop answers, as the shop saw it: the truth about pacing and 429s.
  const calls: { at: number; status: number }[] = [];
  const sim = express();
  sim.use('/com', (_req, res, next) => {
    res.on('finish', () => calls.push({ at: performance.now(), status: res.statusCode }));
    next();
  });
  sim.use(createSimApp(shop));
  const server = await listen(sim);

  const bench = await openBenchInfra('bench-backfill');
  const rawLog = await createRawLog(bench.kafka, bench.topics.raw);
  try {
    const tenants = await createBenchTenant(bench, {
      orgId: String(shop.config.orgId),
      accessToken: shop.config.accessToken,
      webhookSecret: shop.config.webhookSecret,
      apiBaseUrl: server.url,
    });
    const polling = createPollingManager({
      tenants,
      rawLog,
      db: bench.testDb.db,
      log: createLogger('bench-polling', 'warn'),
      config: POLLING,
    });
    const started = performance.now();
    await polling.addTenant('bench-tenant');
    await sleep(scale.backfillWindowSec * 1000);
    const ended = performance.now();
    const status = await polling.status('bench-tenant');
    await polling.stop();

    const inWindow = calls.filter((c) => c.at <= ended);
    const throttled = inWindow.filter((c) => c.status === 429).length;
    // The client may spend `capacity - reserve` at once and keeps catching up while the shop
    // drains the burst; steady state is the last two thirds of the window (or later).
    const burst = capacity - reserve;
    const burstEnd = inWindow[burst - 1]?.at ?? ended;
    const steadyFrom = Math.max(started + (ended - started) / 3, burstEnd + 5000);
    const steady = rateOf(inWindow.filter((c) => c.at >= steadyFrom).length, (ended - steadyFrom) / 1000);
    const overall = rateOf(inWindow.length, (ended - started) / 1000);
    const ratio = steady.perSecond / drainPerSecond;
    return [
      {
        scenario: 'backfill pacing (steady state)',
        unit: 'calls/s',
        measured: steady.perSecond,
        baseline: drainPerSecond,
        baselineLabel: 'Haravan drain',
        ratio,
        target: `>= ${TARGET}, 0 x 429`,
        pass: ratio >= TARGET && throttled === 0,
        details: {
          orders: scale.backfillOrders,
          windowSec: scale.backfillWindowSec,
          calls: inWindow.length,
          throttled429: throttled,
          nonOk: inWindow.filter((c) => c.status !== 200).length,
          burstCalls: burst,
          burstSec: (burstEnd - started) / 1000,
          steadyFromSec: (steadyFrom - started) / 1000,
          overallPerSec: overall.perSecond,
          recordsAppended: Object.values(status.resources).reduce((sum, r) => sum + r.appended, 0),
          clientSeenThrottled: status.throttled,
        },
      },
    ];
  } finally {
    await rawLog.close();
    await server.close();
    await bench.cleanup();
  }
}

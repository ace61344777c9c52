import { randomBytes } from 'node:crypto';
import express from 'express';
import { createSimShop, signWebhook } from '@cdp/haravan-sim';
import { createMetrics } from '@cdp/http';
import { createApp, createRawLog, createWebhookCounts } from '@cdp/ingest';
import { createLogger } from '@cdp/logging';
import { createBenchTenant, openBenchInfra } from './bench-infra';
import { bestOfAlternating } from './best-of';
import { createHttpLoad, type HttpCall } from './http-load';
import { summarize } from './latency';
import { listen } from '@cdp/testing';
import { runConcurrently } from './measure-rate';
import type { BenchResult } from './result';
import type { BenchScale } from './scale';

const TARGET = 0.7;
const WARMUP = 200;

/** Bodies exactly as Haravan would deliver `orders/create`, signed with the shop's secret. */
function orderCreateCalls(count: number): HttpCall[] {
  const shop = createSimShop({ seed: 7 });
  const bodies: string[] = [];
  const unsubscribe = shop.subscribe((event) => {
    if (event.change.topic === 'orders/create') bodies.push(event.body);
  });
  shop.generate({ customers: Math.ceil(count / 5), orders: count, products: 50 });
  unsubscribe();
  return bodies.map((text) => {
    const body = Buffer.from(text, 'utf8');
    return {
      method: 'POST',
      path: '/haravan/webhook',
      headers: {
        'content-type': 'application/json',
        'x-haravan-topic': 'orders/create',
        'x-haravan-org-id': String(shop.config.orgId),
        'x-haravan-hmacsha256': signWebhook(body, shop.config.webhookSecret),
      },
      body,
    };
  });
}

/** Signed webhooks into the real ingest app (raw log, acks=all) against a bare express POST route. */
export async function webhookIngestBench(scale: BenchScale): Promise<BenchResult[]> {
  const n = scale.webhookRequests;
  const calls = orderCreateCalls(Math.min(n, 5000));
  const callAt = (i: number) => calls[i % calls.length] as HttpCall;
  const shopOrg = calls[0]?.headers?.['x-haravan-org-id'] ?? '';

  const bench = await openBenchInfra('bench-webhook');
  const load = createHttpLoad(scale.httpConcurrency);
  const rawLog = await createRawLog(bench.kafka, bench.topics.raw);
  try {
    const tenants = await createBenchTenant(bench, {
      orgId: shopOrg,
      accessToken: 'sim-access-token',
      webhookSecret: 'sim-webhook-secret',
      apiBaseUrl: 'http://127.0.0.1:9',
    });

    const webhookCounts = createWebhookCounts(bench.testDb.db);
    const ingest = await listen(
      createApp({
        tenants,
        rawLog,
        log: createLogger('bench-ingest', 'warn'),
        metrics: createMetrics('bench_ingest'),
        checks: [],
        adminToken: randomBytes(16).toString('hex'),
        webhookBodyLimit: '1mb',
        defaultApiBaseUrl: 'http://127.0.0.1:9',
        onTenantCreated: () => undefined,
        syncStatus: () => Promise.resolve({}),
        webhookCounts,
      }),
    );
    const bare = express();
    bare.post('/haravan/webhook', express.raw({ type: () => true, limit: '1mb' }), (_req, res) => {
      res.status(200).json({ ok: true });
    });
    const baseline = await listen(bare);
    try {
      // Warm both (JIT, sockets, producer metadata, tenant cache) before anything is timed.
      await load.run(baseline.url, WARMUP, callAt);
      await load.run(ingest.url, WARMUP, callAt);
      const [base, real] = await bestOfAlternating(n, [
        () => load.run(baseline.url, n, callAt),
        () => load.run(ingest.url, n, callAt),
      ]);
      // Where the time goes: the raw log alone, one append per request as the route does it.
      const record = {
        key: 'bench-tenant:order:1',
        body: callAt(0).body ?? Buffer.alloc(0),
        tenantId: 'bench-tenant',
        haravanTopic: 'orders/create',
        orgId: shopOrg,
        source: 'webhook' as const,
        receivedAt: new Date().toISOString(),
      };
      const appendCpu = process.cpuUsage();
      const appendOnly = await runConcurrently(n, scale.httpConcurrency, () => rawLog.append([record]));
      const appendUsed = process.cpuUsage(appendCpu);
      const ratio = real.rate.perSecond / base.rate.perSecond;
      const realLatency = summarize(real.latenciesMs);
      const baseLatency = summarize(base.latenciesMs);
      return [
        {
          scenario: 'webhook ingest (orders/create)',
          unit: 'req/s',
          measured: real.rate.perSecond,
          baseline: base.rate.perSecond,
          baselineLabel: 'bare express POST',
          ratio,
          target: `>= ${TARGET}`,
          pass: ratio >= TARGET,
          details: {
            requests: n,
            concurrency: scale.httpConcurrency,
            ingestP50Ms: realLatency.p50,
            ingestP99Ms: realLatency.p99,
            baselineP50Ms: baseLatency.p50,
            baselineP99Ms: baseLatency.p99,
            ingestCpuMicrosPerRequest: real.cpuMicrosPerRequest,
            baselineCpuMicrosPerRequest: base.cpuMicrosPerRequest,
            rawLogAppendAlonePerSec: appendOnly.rate.perSecond,
            // kafkajs's share of a delivery's CPU (encoding, its JavaScript CRC32C, the socket).
            rawLogAppendCpuMicrosPerRecord: Math.round((appendUsed.user + appendUsed.system) / n),
          },
        },
      ];
    } finally {
      await ingest.close();
      await baseline.close();
      await webhookCounts.close();
    }
  } finally {
    load.close();
    await rawLog.close();
    await bench.cleanup();
  }
}

import { randomBytes } from 'node:crypto';
import express from 'express';
import type { Collection } from 'mongodb';
import { createMetrics } from '@cdp/http';
import { createSecretBox, createTenantStore } from '@cdp/ingest';
import { createLogger } from '@cdp/logging';
import { createApp } from '@cdp/read-api';
import {
  customerDocId,
  defaultCollections,
  ensureReadModelIndexes,
  foldedText,
  revenuePolicies,
  searchableText,
  toOrderDoc,
  type ByPolicy,
  type CustomerDoc,
  type OrderDoc,
} from '@cdp/read-models';
import { openBenchInfra } from './bench-infra';
import { createHttpLoad, type HttpCall } from './http-load';
import { summarize } from './latency';
import { listen } from '@cdp/testing';
import { bestOfAlternating } from './best-of';
import { runConcurrently } from './measure-rate';
import { BENCH_TENANT } from './produce-events';
import type { BenchResult } from './result';
import type { BenchScale } from './scale';
import { syntheticEvents } from './synthetic-events';

const TARGET = 0.8;
const INSERT_BATCH = 500;
const WARMUP = 200;

/** Read models as the projector leaves them, written directly: this scenario is about reading. */
async function seedReadModels(
  customers: Collection<CustomerDoc>,
  orders: Collection<OrderDoc>,
  total: number,
): Promise<{ customerIds: string[]; orderIds: string[] }> {
  const customerDocs: CustomerDoc[] = [];
  const orderDocs = new Map<string, OrderDoc>();
  let offset = 0;
  for (const event of syntheticEvents(BENCH_TENANT, total)) {
    const position = { partition: 0, offset: offset++ };
    if (event.type === 'CustomerUpserted') {
      const { addresses, ...c } = event.data.customer;
      customerDocs.push({
        ...c,
        _id: customerDocId(BENCH_TENANT, c.customerId),
        tenantId: BENCH_TENANT,
        haravanId: c.customerId,
        isBuyer: true,
        source: 'Haravan',
        nameLower: c.name === null ? null : searchableText(c.name),
        nameFolded: c.name === null ? null : foldedText(c.name),
        emailLower: c.email?.toLowerCase() ?? null,
        phone: c.phone,
        addresses,
        deleted: false,
        revenueByPolicy: Object.fromEntries(revenuePolicies.map((p) => [p, '0'])) as ByPolicy,
        totalOrders: 0,
        position,
      });
    } else if (event.type === 'OrderCreated' || event.type === 'PaymentStatusChanged') {
      const doc = toOrderDoc(BENCH_TENANT, event.data.order, false, position);
      orderDocs.set(doc._id, doc);
    }
  }
  const all = [...orderDocs.values()];
  for (let i = 0; i < customerDocs.length; i += INSERT_BATCH)
    await customers.insertMany(customerDocs.slice(i, i + INSERT_BATCH));
  for (let i = 0; i < all.length; i += INSERT_BATCH) await orders.insertMany(all.slice(i, i + INSERT_BATCH));
  return { customerIds: customerDocs.map((c) => c.customerId), orderIds: all.map((o) => o.orderId) };
}

/** Single-document reads through the read API against bare express and a bare `findOne` loop. */
export async function readApiBench(scale: BenchScale): Promise<BenchResult[]> {
  const n = scale.readRequests;
  const concurrency = scale.httpConcurrency;
  const bench = await openBenchInfra('bench-read');
  const load = createHttpLoad(concurrency);
  try {
    const db = bench.testDb.db;
    await ensureReadModelIndexes(db, defaultCollections);
    const customers = db.collection<CustomerDoc>(defaultCollections.customers);
    const orders = db.collection<OrderDoc>(defaultCollections.orders);
    const ids = await seedReadModels(customers, orders, Math.max(1000, n));
    const tenants = createTenantStore(db, createSecretBox(randomBytes(32).toString('base64')));
    await tenants.ensureIndexes();
    const created = await tenants.create({
      tenantId: BENCH_TENANT,
      haravanOrgId: '1',
      haravanAccessToken: 'unused',
      haravanWebhookSecret: 'unused',
      haravanApiBaseUrl: 'http://127.0.0.1:9',
    });
    if (!created.ok) throw new Error(`tenant not created: ${created.reason}`);
    const auth = { authorization: `Bearer ${created.apiKey}` };

    const api = await listen(
      createApp({
        db,
        log: createLogger('bench-read', 'warn'),
        metrics: createMetrics('bench_read'),
        checks: [],
      }),
    );
    const bare = express();
    const constant = { customerId: '1', name: 'Khách', revenue: '0', totalOrders: 0 };
    bare.get('/v1/:kind/:id', (_req, res) => {
      res.json(constant);
    });
    const baseline = await listen(bare);

    // A fixed pseudo-random pick, the same for a route and its baselines.
    const pick = (list: string[], i: number) => list[(i * 2_654_435_761) % list.length] as string;
    const kinds = [
      {
        name: 'customers',
        ids: ids.customerIds,
        collection: db.collection<{ _id: string }>(defaultCollections.customers),
      },
      {
        name: 'orders',
        ids: ids.orderIds,
        collection: db.collection<{ _id: string }>(defaultCollections.orders),
      },
    ];
    const results: BenchResult[] = [];
    try {
      for (const kind of kinds) {
        const callAt = (i: number): HttpCall => ({
          method: 'GET',
          path: `/v1/${kind.name}/${pick(kind.ids, i)}`,
          headers: auth,
        });
        await load.run(baseline.url, WARMUP, callAt);
        await load.run(api.url, WARMUP, callAt);
        const [bareHttp, store, real] = await bestOfAlternating(n, [
          () => load.run(baseline.url, n, callAt),
          () =>
            runConcurrently(n, concurrency, async (i) => {
              const doc = await kind.collection.findOne({ _id: `${BENCH_TENANT}:${pick(kind.ids, i)}` });
              if (!doc) throw new Error(`${kind.name} ${pick(kind.ids, i)} missing`);
            }),
          () => load.run(api.url, n, callAt),
        ]);
        const base = Math.min(bareHttp.rate.perSecond, store.rate.perSecond);
        const ratio = real.rate.perSecond / base;
        const latency = summarize(real.latenciesMs);
        results.push({
          scenario: `read API GET /v1/${kind.name}/{id}`,
          unit: 'req/s',
          measured: real.rate.perSecond,
          baseline: base,
          baselineLabel: bareHttp.rate.perSecond <= store.rate.perSecond ? 'bare express' : 'raw findOne',
          ratio,
          target: `>= ${TARGET}`,
          pass: ratio >= TARGET,
          details: {
            requests: n,
            concurrency,
            bareExpressPerSec: bareHttp.rate.perSecond,
            rawFindOnePerSec: store.rate.perSecond,
            // This process's CPU per request (load client included): with the store on the same two
            // cores, what the API spends beyond a bare findOne is taken from the store.
            apiCpuMicrosPerRequest: Math.round(real.cpuMicrosPerRequest),
            bareExpressCpuMicrosPerRequest: Math.round(bareHttp.cpuMicrosPerRequest),
            rawFindOneCpuMicrosPerRequest: Math.round(store.cpuMicrosPerRequest),
            p50Ms: latency.p50,
            p99Ms: latency.p99,
          },
        });
      }
      return results;
    } finally {
      await api.close();
      await baseline.close();
    }
  } finally {
    load.close();
    await bench.cleanup();
  }
}

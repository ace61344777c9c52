import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sumMoney } from '@cdp/contracts';
import {
  createSimShop,
  createWebhookDispatcher,
  MIN_FOR_EVERY_CASE,
  type GenerateSummary,
  type GroundTruth,
  type SimShop,
} from '@cdp/haravan-sim';
import { waitFor } from '@cdp/testing';
import {
  actualView,
  deletedIn,
  differences,
  expectedView,
  type Deleted,
  type View,
} from './ground-truth-view';
import { readApiClient, type ReadApiClient } from './read-api-client';
import { connectShop } from './connect-tenant';
import { startPipeline, type Pipeline } from './start-pipeline';

const SECRET = 'webhook-secret-ground-truth';
const CONVERGE_MS = 120_000;

describe('the read API agrees with the simulator’s ground truth after a faulty webhook stream', () => {
  let pipeline: Pipeline;
  let shop: SimShop;
  let summary: GenerateSummary;
  let truth: GroundTruth;
  let deleted: Deleted;
  let expected: View;
  let api: ReadApiClient;

  beforeAll(async () => {
    pipeline = await startPipeline();
    shop = createSimShop({ seed: 20_251, orgId: 200_000_020_251, webhookSecret: SECRET });
    api = readApiClient(pipeline.readApiUrl, await connectShop(pipeline, 'shop-ground-truth', shop));

    // Subscribed before the shop lives, so every change goes out as a webhook: duplicated and
    // reordered, never dropped (no polling runs here to catch a dropped one).
    const dispatcher = createWebhookDispatcher(shop, {
      targetUrl: `${pipeline.ingestUrl}/haravan/webhook`,
      faults: { duplicateRate: 0.3, reorderRate: 0.3 },
      retry: { attempts: 5, baseMs: 200 },
    });
    summary = shop.generate(MIN_FOR_EVERY_CASE);
    const report = await dispatcher.flush();
    await dispatcher.close();
    expect(report.failed).toBe(0);
    expect(report.duplicated + report.reordered).toBeGreaterThan(0);
    truth = shop.groundTruth();
    deleted = deletedIn(shop);
    expected = expectedView(truth, deleted);
    await waitFor(async () => differences(expected, await actualView(api, expected)).length === 0, {
      timeoutMs: CONVERGE_MS,
      intervalMs: 1000,
      description: 'the read API to converge on the ground truth',
    }).catch(() => undefined); // the tests below show what differs
  }, 300_000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('covers every case of the rules', () => {
    expect(truth.customers.length).toBeGreaterThanOrEqual(MIN_FOR_EVERY_CASE.customers - 1);
    expect(truth.receivers.length).toBeGreaterThan(0);
    expect(summary.cases['shared-phone']?.count).toBeGreaterThan(0);
    expect(summary.cases['phone-only-on-default-address']?.count).toBeGreaterThan(0);
  });

  it.each([
    {
      section: 'buyers',
      rule: 'every buyer: name, email, revenue, totalOrders, phone (R8), addresses with the default marked, history newest first (R15)',
    },
    {
      section: 'receivers',
      rule: 'every receiver is a separate contact without Haravan id or totals, with the orders shipped to it (R12)',
    },
    { section: 'orders', rule: 'every order in its latest state, on its buyer (R14)' },
    { section: 'products', rule: 'every product (R1)' },
    {
      section: 'listedCustomers',
      rule: 'lists the buyers and receivers the truth holds, and no other contact',
    },
    { section: 'listedOrders', rule: 'lists the orders the truth holds, and no deleted one' },
    { section: 'listedProducts', rule: 'lists the products the truth holds, and no deleted one' },
    { section: 'reportByStore', rule: 'the revenue report by store sums as the truth does' },
    { section: 'reportByDay', rule: "the revenue report by the shop's day sums as the truth does" },
  ] as const)('$rule', async ({ section }) => {
    expect((await actualView(api, expected))[section]).toEqual(expected[section]);
  });

  it('answers deleted customers, orders and products as deleted', async () => {
    const view = await actualView(api, expected);
    expect(deleted.customers.length + deleted.orders.length + deleted.products.length).toBeGreaterThan(0);
    expect(view.deletedCustomers).toEqual(expected.deletedCustomers);
    expect(view.deletedOrders).toEqual(expected.deletedOrders);
    expect(view.deletedProducts).toEqual(expected.deletedProducts);
  });

  it('finds a buyer by phone in all three forms', async () => {
    const buyer = truth.customers.find((c) => c.phoneNormalized?.startsWith('+84'));
    const e164 = buyer?.phoneNormalized ?? '';
    for (const form of [e164, `0${e164.slice(3)}`, e164.slice(1)]) {
      const found = await api.all<{ customerId: string }>(`/v1/customers?phone=${encodeURIComponent(form)}`);
      expect(
        found.map((c) => c.customerId),
        form,
      ).toContain(String(buyer?.haravanId));
    }
  });

  it('reports in all the revenue and order count the truth sums', async () => {
    const report = await api.get<{ total: { revenue: string; orders: number } }>(
      '/v1/reports/revenue?groupBy=store',
    );
    expect(report.body.total).toEqual({
      revenue: sumMoney(truth.orders.map((o) => o.revenueContribution)),
      orders: truth.orders.filter((o) => o.countsAsOrder).length,
    });
  });
});

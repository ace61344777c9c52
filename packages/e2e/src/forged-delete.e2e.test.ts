import { describe, expect, it } from 'vitest';
import { createSimShop, signWebhook, startSimServer } from '@cdp/haravan-sim';
import { waitFor } from '@cdp/testing';
import { connectShop } from './connect-tenant';
import { fastPolling } from './fast-polling';
import { readApiClient } from './read-api-client';
import { startPipeline } from './start-pipeline';

const DAY = 86_400_000;
const TENANT = 'shop-forged';

describe('a delete webhook forged from another delivery’s signed body', { timeout: 240_000 }, () => {
  it('deletes the order until the deletion sweep finds it in the shop, then the order and its buyer’s revenue are back', async () => {
    const shop = createSimShop({ seed: 47, startTime: new Date(Date.now() - 40 * DAY), stepMs: 5 });
    shop.generate({ customers: 4, orders: 10, products: 2, spanDays: 20 });
    const sim = await startSimServer(shop);
    // The first sweep, a full listing, comes this long after the backfill: the forgery happens before.
    const pipeline = await startPipeline({ polling: { ...fastPolling, sweepIntervalMs: 45_000 } });
    try {
      const api = readApiClient(pipeline.readApiUrl, await connectShop(pipeline, TENANT, shop, sim.url));
      const truth = shop.groundTruth();
      const order = truth.orders.find((o) => o.buyerId !== null && o.revenueContribution !== '0');
      const buyer = truth.customers.find((c) => c.haravanId === order?.buyerId);
      if (!order || !buyer) throw new Error('the generated shop needs a paid order of a buyer');
      const shown = async () => {
        const [o, b] = await Promise.all([
          api.get<{ deleted: boolean }>(`/v1/orders/${order.haravanId}`),
          api.get<{ revenue: string }>(`/v1/customers/${buyer.haravanId}`),
        ]);
        return `order deleted: ${o.status === 200 ? o.body.deleted : o.status}, buyer revenue: ${b.body.revenue}`;
      };
      const asTheShopHasIt = `order deleted: false, buyer revenue: ${buyer.revenue}`;
      await waitFor(async () => (await shown()) === asTheShopHasIt, {
        timeoutMs: 60_000,
        description: 'the backfill',
      });

      // The order's own body, as Haravan signed it for another delivery, posted under orders/delete.
      const body = Buffer.from(JSON.stringify(shop.payload('orders', order.haravanId)));
      const forged = await fetch(`${pipeline.ingestUrl}/haravan/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-haravan-topic': 'orders/delete',
          'x-haravan-org-id': String(shop.config.orgId),
          'x-haravan-hmacsha256': signWebhook(body, shop.config.webhookSecret),
        },
        body,
      });
      expect(forged.status).toBe(200);
      await waitFor(async () => (await shown()).startsWith('order deleted: true'), {
        timeoutMs: 30_000,
        description: 'the forged deletion to be projected',
      });

      // Past the hour within which the shop's lists may still show a deleted record.
      const moved = await pipeline.db
        .collection<{ _id: string }>('ingest_state')
        .updateOne(
          { _id: `${TENANT}:order:${order.haravanId}` },
          { $set: { 'state.deletedAt': new Date(Date.now() - 2 * 3_600_000).toISOString() } },
        );
      expect(moved.modifiedCount).toBe(1);

      await waitFor(async () => (await shown()) === asTheShopHasIt, {
        timeoutMs: 120_000,
        intervalMs: 1_000,
        description: 'the deletion sweep to take the deletion back',
      }).catch(async (error: unknown) => {
        throw new Error(`${String(error)}\nnow: ${await shown()}`);
      });
    } finally {
      await pipeline.stop();
      await sim.close();
    }
  });
});

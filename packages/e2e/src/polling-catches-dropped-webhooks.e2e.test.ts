import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSimShop,
  createWebhookDispatcher,
  startSimServer,
  type SimServer,
  type SimShop,
  type WebhookDispatcher,
} from '@cdp/haravan-sim';
import { waitFor } from '@cdp/testing';
import { connectShop } from './connect-tenant';
import { fastPolling } from './fast-polling';
import { startPipeline, type Pipeline } from './start-pipeline';

const DAY = 86_400_000;

describe('polling repairs what dropped webhooks miss', { timeout: 90_000 }, () => {
  let pipeline: Pipeline;
  let shop: SimShop;
  let sim: SimServer;
  let dispatcher: WebhookDispatcher;
  let apiKey: string;

  beforeAll(async () => {
    // History in the recent past, so the shop's clock and the poller's windows agree.
    shop = createSimShop({ seed: 31, startTime: new Date(Date.now() - 40 * DAY), stepMs: 5 });
    shop.generate({ customers: 12, orders: 40, products: 5, spanDays: 20 });
    sim = await startSimServer(shop);
    pipeline = await startPipeline({ polling: { ...fastPolling, sweepIntervalMs: 5000 } });
    apiKey = await connectShop(pipeline, 'shop-polling', shop, sim.url);
    dispatcher = createWebhookDispatcher(shop, {
      targetUrl: `${pipeline.ingestUrl}/haravan/webhook`,
      faults: { dropRate: 0.5, duplicateRate: 0.3 },
      retry: { attempts: 2, baseMs: 100 },
    });
  }, 120_000);

  afterAll(async () => {
    await dispatcher?.close();
    await pipeline?.stop();
    await sim?.close();
  });

  it('ends with every order showing the payment status the shop has', async () => {
    // Live changes, "now", delivered with half the webhooks lost and some twice.
    shop.clock.advanceTo(Date.now());
    const orders = shop.records('orders');
    const open = orders.filter((r) => !r.orderState?.cancelled && !r.orderState?.closed);
    const customerId = shop.records('customers')[0]?.id;
    if (!customerId) throw new Error('the generated shop needs a customer');
    for (const r of open.filter((o) => o.orderState?.financialStatus === 'pending').slice(0, 6))
      shop.payOrder(r.id);
    for (const r of open.filter((o) => o.orderState?.financialStatus === 'paid').slice(0, 3))
      shop.refundOrder(r.id);
    for (let i = 0; i < 4; i++) {
      const order = shop.createOrder({ customerId, financialStatus: 'pending' });
      if (i % 2 === 0) shop.payOrder(order.id);
      else shop.cancelOrder(order.id);
    }
    const report = await dispatcher.flush();
    expect(report.dropped).toBeGreaterThan(0);

    const truth = shop.groundTruth().orders;
    const mismatches = async () => {
      const wrong: string[] = [];
      await Promise.all(
        truth.map(async (order) => {
          const res = await fetch(`${pipeline.readApiUrl}/v1/orders/${order.haravanId}`, {
            headers: { authorization: `Bearer ${apiKey}` },
          });
          const body = res.status === 200 ? ((await res.json()) as { paymentStatus?: string }) : {};
          if (body.paymentStatus !== order.paymentStatus)
            wrong.push(`${order.haravanId}: ${body.paymentStatus ?? res.status} ≠ ${order.paymentStatus}`);
        }),
      );
      return wrong;
    };
    await waitFor(async () => (await mismatches()).length === 0, {
      timeoutMs: 60_000,
      intervalMs: 500,
      description: 'every order to match the shop',
    }).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\nstill wrong: ${(await mismatches()).join(', ')}`);
    });

    const tenant = await fetch(`${pipeline.ingestUrl}/admin/tenants/shop-polling`, {
      headers: { authorization: `Bearer ${pipeline.adminToken}` },
    });
    const { sync } = (await tenant.json()) as { sync: { phase: string; requests: number } };
    expect(sync.phase).toBe('incremental');
    expect(sync.requests).toBeGreaterThan(0);
  });

  it('marks deleted the order, customer and product the shop deleted while every webhook was lost', async () => {
    await dispatcher.close();
    const read = (path: string) =>
      fetch(`${pipeline.readApiUrl}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
    // A customer without orders (Haravan deletes only those), first brought in by polling alone.
    const customer = shop.createCustomer();
    await waitFor(async () => (await read(`/v1/customers/${customer.id}`)).status === 200, {
      timeoutMs: 30_000,
      description: 'the new customer to be polled in',
    });
    const order = shop.records('orders')[0];
    const product = shop.records('products')[0];
    if (!order || !product) throw new Error('the generated shop needs an order and a product');
    shop.deleteOrder(order.id);
    shop.deleteProduct(product.id);
    shop.deleteCustomer(customer.id);

    // Each stays readable by its id, marked deleted (lists leave them out).
    const states = async () => {
      const [o, p, c] = await Promise.all([
        read(`/v1/orders/${order.id}`),
        read(`/v1/products/${product.id}`),
        read(`/v1/customers/${customer.id}`),
      ]);
      const deleted = async (res: Response) =>
        res.status === 200 ? String(((await res.json()) as { deleted?: boolean }).deleted) : res.status;
      return `order ${await deleted(o)}, product ${await deleted(p)}, customer ${await deleted(c)}`;
    };
    await waitFor(async () => (await states()) === 'order true, product true, customer true', {
      timeoutMs: 60_000,
      intervalMs: 500,
      description: 'the deletion sweep to find the three deletions',
    }).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\nnow: ${await states()}`);
    });
  });
});

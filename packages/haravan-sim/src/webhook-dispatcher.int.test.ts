import { describe, expect, it } from 'vitest';
import { createSimShop } from './sim-shop.js';
import { createWebhookDispatcher } from './webhook-dispatcher.js';
import { startReceiver } from './webhook-receiver.test-helper.js';
import { signWebhook } from './webhook-signature.js';

const faults = { duplicateRate: 0.2, reorderRate: 0.2, dropRate: 0.1, deferRate: 0.1 };

async function deliveredSequence(seed: number): Promise<string[]> {
  const receiver = await startReceiver();
  const shop = createSimShop({ seed: 99 });
  const dispatcher = createWebhookDispatcher(shop, {
    targetUrl: receiver.url,
    faults,
    seed,
    retry: { attempts: 1, baseMs: 1 },
  });
  shop.generate({ customers: 5, orders: 15, products: 3 });
  await dispatcher.flush();
  await dispatcher.flush(); // deferred deliveries arrive late
  await dispatcher.close();
  await receiver.close();
  return receiver.received.map(
    (r) =>
      `${r.topic} ${(JSON.parse(r.raw) as { id: number; updated_at?: string }).id} ${(JSON.parse(r.raw) as { updated_at?: string }).updated_at}`,
  );
}

describe('webhook dispatcher', () => {
  it('injects faults deterministically: same seed, same delivery sequence', async () => {
    const a = await deliveredSequence(7);
    const b = await deliveredSequence(7);
    const c = await deliveredSequence(8);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(new Set(a).size).toBeLessThan(a.length); // duplicates present
  });

  it('delivers bare, signed bodies for every change, out of order when asked', async () => {
    const receiver = await startReceiver();
    const shop = createSimShop({ seed: 3, webhookSecret: 's3cret' });
    const dispatcher = createWebhookDispatcher(shop, { targetUrl: receiver.url, faults: { reorderRate: 1 } });
    const customer = shop.createCustomer();
    const order = shop.createOrder({ customerId: customer.id, financialStatus: 'pending' });
    shop.payOrder(order.id);
    shop.deleteOrder(order.id);
    const report = await dispatcher.flush();
    await dispatcher.close();
    await receiver.close();
    expect(report.delivered).toBe(shop.changes().length);
    expect(report.reordered).toBeGreaterThan(0);
    for (const r of receiver.received) expect(r.signature).toBe(signWebhook(r.raw, 's3cret'));
    const topics = receiver.received.map((r) => r.topic);
    expect(topics.sort()).toEqual(
      shop
        .changes()
        .map((c) => c.topic)
        .sort(),
    );
    expect(topics).not.toEqual(shop.changes().map((c) => c.topic));
    const deleted = receiver.received.find((r) => r.topic === 'orders/delete');
    expect(JSON.parse(deleted?.raw ?? '')).toEqual({ id: order.id });
  });

  it('retries with backoff until it gets 200, and gives up after the attempts', async () => {
    const receiver = await startReceiver((index) => (index < 2 ? 503 : 200));
    const shop = createSimShop({ seed: 4 });
    const dispatcher = createWebhookDispatcher(shop, {
      targetUrl: receiver.url,
      retry: { attempts: 3, baseMs: 5 },
    });
    shop.createProduct();
    const report = await dispatcher.flush();
    expect(report.deliveries).toEqual([
      expect.objectContaining({ topic: 'products/create', attempts: 3, delivered: true, status: 200 }),
    ]);
    expect(receiver.received).toHaveLength(3);
    await dispatcher.close();
    await receiver.close();

    const failing = await startReceiver(() => 500);
    const giveUp = createWebhookDispatcher(shop, {
      targetUrl: failing.url,
      retry: { attempts: 2, baseMs: 1 },
    });
    shop.createProduct();
    expect(await giveUp.flush()).toMatchObject({ delivered: 0, failed: 1, attempts: 2 });
    expect(giveUp.stats()).toMatchObject({ failed: 1, pending: 0 });
    await giveUp.close();
    await failing.close();
  });

  it('performs the hub.challenge handshake', async () => {
    const receiver = await startReceiver();
    const dispatcher = createWebhookDispatcher(createSimShop({ seed: 1 }), { targetUrl: receiver.url });
    expect(await dispatcher.verifyHandshake('verify-me')).toBe(true);
    expect(await dispatcher.verifyHandshake('wrong')).toBe(false);
    await dispatcher.close();
    await receiver.close();
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimShop, type SimShop } from './sim-shop.js';
import { startSimServer, type SimServer } from './sim-server.js';
import { createWebhookDispatcher } from './webhook-dispatcher.js';
import { startReceiver } from './webhook-receiver.test-helper.js';
import { signWebhook } from './webhook-signature.js';

const TOKEN = 'push-token';
let shop: SimShop;
let server: SimServer;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeEach(async () => {
  shop = createSimShop({ seed: 21, accessToken: TOKEN, webhookSecret: 'wh-secret', orgId: 1000114691 });
  shop.createProduct({ title: 'Áo thun', variants: [{ title: 'M', sku: 'AT-M', price: 199_000 }] });
  server = await startSimServer(shop);
  receiver = await startReceiver();
});
afterEach(async () => {
  await server.close();
  await receiver.close();
});

const post = (path: string, body: unknown, contentType = 'application/json') =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': contentType },
    body: JSON.stringify(body),
  });

describe('CDP → Haravan push', () => {
  it('POST /com/customers.json creates a customer (201, wrapped) and echoes customers/create', async () => {
    const dispatcher = createWebhookDispatcher(shop, {
      targetUrl: receiver.url,
      retry: { attempts: 1, baseMs: 1 },
    });
    const res = await post('/com/customers.json', {
      customer: {
        first_name: 'Văn An',
        last_name: 'Nguyễn',
        email: 'an@example.vn',
        phone: '0912345678',
        note: 'fb: facebook.com/an',
        tags: 'cdp',
      },
    });
    expect(res.status).toBe(201);
    const { customer } = (await res.json()) as {
      customer: { id: number; phone: string; addresses: unknown[] };
    };
    expect(customer).toMatchObject({ phone: '0912345678', addresses: [] });
    await dispatcher.flush();
    await dispatcher.close();
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery).toMatchObject({
      topic: 'customers/create',
      orgId: '1000114691',
      contentType: 'application/json',
    });
    expect(JSON.parse(delivery?.raw ?? '')).toMatchObject({ id: customer.id, email: 'an@example.vn' });
    expect(delivery?.signature).toBe(signWebhook(delivery?.raw ?? '', 'wh-secret'));
  });

  it('POST /com/orders.json creates an order for a known customer and echoes orders/create', async () => {
    const buyer = shop.createCustomer({ email: 'b@example.vn' });
    const variant = shop.records('products').flatMap((r) => shop.product(r.id)?.variants ?? [])[0];
    const dispatcher = createWebhookDispatcher(shop, { targetUrl: receiver.url, topics: ['orders/create'] });
    const res = await post('/com/orders.json', {
      order: {
        customer: { id: buyer.id },
        line_items: [{ variant_id: variant?.id, quantity: 2 }],
        shipping_lines: [{ title: 'GHN', price: 30000 }],
        note_attributes: [{ name: 'cdp_command_id', value: 'c-1' }],
      },
    });
    expect(res.status).toBe(201);
    const { order } = (await res.json()) as {
      order: { id: number; total_price: number; customer: { id: number }; financial_status: string };
    };
    expect(order).toMatchObject({
      total_price: 428000,
      customer: { id: buyer.id },
      financial_status: 'pending',
      note_attributes: [{ name: 'cdp_command_id', value: 'c-1' }],
    });
    await dispatcher.flush();
    await dispatcher.close();
    expect(receiver.received.map((r) => [r.topic, (JSON.parse(r.raw) as { id: number }).id])).toEqual([
      ['orders/create', order.id],
    ]);
    expect(shop.groundTruth().customers.find((c) => c.haravanId === buyer.id)?.totalOrders).toBe(1);
  });

  it('answers 422 with Haravan-style field errors on invalid input', async () => {
    const badCustomer = await post('/com/customers.json', {
      customer: { email: 'not-an-email', phone: '12' },
    });
    expect(badCustomer.status).toBe(422);
    const body = (await badCustomer.json()) as { errors: Record<string, string[]> };
    expect(Object.keys(body.errors).sort()).toEqual(['email', 'phone']);
    const emptyOrder = await post('/com/orders.json', { order: { line_items: [] } });
    expect(emptyOrder.status).toBe(422);
    expect(((await emptyOrder.json()) as { errors: Record<string, string[]> }).errors).toHaveProperty(
      'line_items',
    );
    const unknownCustomer = await post('/com/orders.json', {
      order: { customer: { id: 5 }, line_items: [{ title: 'x', price: 1, quantity: 1 }] },
    });
    expect(await unknownCustomer.json()).toEqual({ errors: { customer: ['not found'] } });
    await post('/com/customers.json', { customer: { email: 'dup@example.vn' } });
    const duplicate = await post('/com/customers.json', { customer: { email: 'dup@example.vn' } });
    expect(await duplicate.json()).toEqual({ errors: { email: ['has already been taken'] } });
    // A phone belongs to one customer per shop, in whatever form it is written.
    await post('/com/customers.json', { customer: { first_name: 'An', phone: '0912000111' } });
    const samePhone = await post('/com/customers.json', {
      customer: { first_name: 'Bình', phone: '+84912000111' },
    });
    expect(await samePhone.json()).toEqual({ errors: { phone: ['has already been taken'] } });
  });

  it('rejects a body that is not JSON with 400', async () => {
    expect((await post('/com/customers.json', {}, 'text/plain')).status).toBe(400);
  });
});

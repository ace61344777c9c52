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
import { readDomainLog } from './domain-log';
import { fastPolling } from './fast-polling';
import { readApiClient, type ReadApiClient } from './read-api-client';
import { startPipeline, type Pipeline } from './start-pipeline';

const DAY = 86_400_000;

interface Profile {
  customerId: string;
  haravanId: string | null;
  isBuyer: boolean;
  phone: string | null;
  note: string | null;
}
interface Command {
  commandId: string;
  status: string;
  haravanId: string | null;
  error: unknown;
  position: string | null;
}

describe('pushing CDP records to Haravan, and their echoes (R22–R24)', { timeout: 120_000 }, () => {
  let pipeline: Pipeline;
  let shop: SimShop;
  let sim: SimServer;
  let dispatcher: WebhookDispatcher;
  let apiKey: string;
  let read: ReadApiClient;

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${pipeline.readApiUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(202);
    return (await res.json()) as Command;
  };
  const succeeded = (command: Command) =>
    waitFor(
      async () => {
        const { body } = await read.get<Command>(`/v1/commands/${command.commandId}`);
        if (body.status === 'failed') throw new Error(`push failed: ${JSON.stringify(body.error)}`);
        return body.status === 'succeeded' && body.haravanId;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'the push to succeed' },
    );
  /**
   * Read-your-writes: the command says where in `stream` its change landed, and a read given that
   * position answers once it is projected.
   */
  const readAfter = async <T>(command: Command, stream: 'customers' | 'orders', path: string) => {
    const position = await waitFor(
      async () => (await read.get<Command>(`/v1/commands/${command.commandId}`)).body.position,
      { timeoutMs: 30_000, intervalMs: 200, description: "the push's position in the event log" },
    );
    expect(position).toMatch(new RegExp(`^${pipeline.generationDeps.topics[stream]}/\\d+/\\d+$`));
    const res = await read.get<T>(path, { 'X-Min-Position': position });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-stale')).toBeNull();
    return res.body;
  };

  beforeAll(async () => {
    shop = createSimShop({ seed: 43, startTime: new Date(Date.now() - 40 * DAY), stepMs: 5 });
    shop.generate({ customers: 10, orders: 40, products: 4, spanDays: 20 });
    sim = await startSimServer(shop);
    pipeline = await startPipeline({ polling: fastPolling });
    apiKey = await connectShop(pipeline, 'shop-push', shop, sim.url);
    read = readApiClient(pipeline.readApiUrl, apiKey);
    // Haravan echoes every change, the pushes' too, as webhooks.
    dispatcher = createWebhookDispatcher(shop, { targetUrl: `${pipeline.ingestUrl}/haravan/webhook` });
    shop.clock.advanceTo(Date.now());
  }, 120_000);

  afterAll(async () => {
    await dispatcher?.close();
    await pipeline?.stop();
    await sim?.close();
  });

  it('turns a receiver into one Haravan customer, and an order for them into one order', async () => {
    const receiver = await waitFor(
      async () => (await read.all<Profile>('/v1/customers')).find((c) => !c.isBuyer && c.phone !== null),
      { timeoutMs: 60_000, intervalMs: 500, description: 'a receiver to be projected from the backfill' },
    );
    const customersBefore = shop.records('customers').length;

    const pushed = await post(`/v1/customers/${encodeURIComponent(receiver.customerId)}/push-to-haravan`, {
      facebookUrl: 'https://facebook.com/receiver',
    });
    const haravanId = await succeeded(pushed);
    expect(shop.records('customers')).toHaveLength(customersBefore + 1);
    const pushedProfile = await readAfter<Profile>(
      pushed,
      'customers',
      `/v1/customers/${encodeURIComponent(receiver.customerId)}`,
    );
    expect(pushedProfile.customerId).toBe(haravanId);
    await dispatcher.flush();

    // The contact is now the Haravan customer, with the link in its note, and is listed once.
    const profile = await waitFor(
      async () => {
        const { body } = await read.get<Profile>(`/v1/customers/${encodeURIComponent(receiver.customerId)}`);
        return body.customerId === haravanId && body;
      },
      {
        timeoutMs: 30_000,
        intervalMs: 200,
        description: "the echo to be projected as the contact's profile",
      },
    );
    expect(profile.note).toContain('Facebook: https://facebook.com/receiver');
    const samePhone = await read.all<Profile>(
      `/v1/customers?phone=${encodeURIComponent(receiver.phone ?? '')}`,
    );
    expect(samePhone.map((c) => c.customerId)).toContain(haravanId);
    expect(samePhone.map((c) => c.customerId)).not.toContain(receiver.customerId);

    // An order for the contact is created in Haravan for the customer it became.
    const variantId = shop.product(shop.records('products')[0]?.id ?? 0)?.variants[0]?.id;
    const ordered = await post('/v1/orders', {
      pushToHaravan: true,
      customerId: receiver.customerId,
      lineItems: [{ variantId: String(variantId), quantity: 3 }],
      financialStatus: 'paid',
    });
    const orderId = await succeeded(ordered);
    expect((await readAfter<{ orderId: string }>(ordered, 'orders', `/v1/orders/${orderId}`)).orderId).toBe(
      orderId,
    );
    await dispatcher.flush();
    const history = await waitFor(
      async () => {
        const orders = await read.all<{ orderId: string }>(`/v1/customers/${haravanId}/orders`);
        return orders.some((o) => o.orderId === orderId) && orders;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'the pushed order in the buyer history' },
    );
    expect(history.filter((o) => o.orderId === orderId)).toHaveLength(1);

    // The push's own record and Haravan's echo of it were one change: one OrderCreated.
    const { kafka, codec, topics } = pipeline.generationDeps;
    const events = await readDomainLog(kafka, codec, [topics.orders], () => Promise.resolve(true), 1_000);
    const created = events.filter((e) => e.type === 'OrderCreated' && e.data.order.orderId === orderId);
    expect(created).toHaveLength(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody } from '@cdp/ingest';
import { waitFor } from '@cdp/testing';
import { haravanOrderPayload } from './haravan-order-payload';
import { startPipeline, type Pipeline } from './start-pipeline';

const ORG_ID = '200001220496';
const SECRET = 'webhook-secret-e2e';

describe('an orders/create webhook reaches the read API', () => {
  let pipeline: Pipeline;
  let apiKey: string;

  beforeAll(async () => {
    pipeline = await startPipeline();
    const created = await fetch(`${pipeline.ingestUrl}/admin/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${pipeline.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        tenantId: 'shop-e2e',
        haravanOrgId: ORG_ID,
        haravanAccessToken: 'token',
        haravanWebhookSecret: SECRET,
      }),
    });
    expect(created.status).toBe(201);
    apiKey = ((await created.json()) as { apiKey: string }).apiKey;
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  const deliver = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${pipeline.ingestUrl}/haravan/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-haravan-topic': 'orders/create',
        'x-haravan-org-id': ORG_ID,
        'x-haravan-hmacsha256': signBody(body, SECRET),
        ...headers,
      },
      body,
    });

  it('stores the signed delivery, projects the order and serves it', async () => {
    const body = JSON.stringify(haravanOrderPayload(1138637099, 5001));
    expect((await deliver(body)).status).toBe(200);

    const order = await waitFor(
      async () => {
        const res = await fetch(`${pipeline.readApiUrl}/v1/orders/1138637099`, {
          headers: { authorization: `Bearer ${apiKey}` },
        });
        return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : null;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'the order to appear in the read API' },
    );
    expect(order).toMatchObject({
      orderId: '1138637099',
      orderNumber: '#1138637099',
      paymentStatus: 'pending',
      totalPrice: '13230000',
      totalShipping: '30000',
      buyerId: '5001',
      store: { id: '1001', name: 'Cửa hàng Quận 1' },
      revenueContribution: '0',
    });
    expect(order.receiverId).toEqual(expect.stringMatching(/^receiver:/));
  });

  it('answers 401 to a bad signature and 404 to an unknown shop, storing nothing', async () => {
    const body = JSON.stringify(haravanOrderPayload(42, 5001));
    expect((await deliver(body, { 'x-haravan-hmacsha256': 'AAAA' })).status).toBe(401);
    expect((await deliver(body, { 'x-haravan-org-id': '1' })).status).toBe(404);
    const res = await fetch(`${pipeline.readApiUrl}/v1/orders/42`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(res.status).toBe(404);
  });

  it('refuses reads without a tenant key', async () => {
    expect((await fetch(`${pipeline.readApiUrl}/v1/orders/1138637099`)).status).toBe(401);
  });
});

import { expect } from 'vitest';
import type { RevenuePolicy, SimShop } from '@cdp/haravan-sim';
import type { Pipeline } from './start-pipeline';

/** Connects the simulator's shop as a tenant through the admin API and returns its read API key. */
export async function connectShop(
  pipeline: Pipeline,
  tenantId: string,
  shop: SimShop,
  haravanApiBaseUrl?: string,
  revenuePolicy?: RevenuePolicy,
): Promise<string> {
  const created = await fetch(`${pipeline.ingestUrl}/admin/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${pipeline.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      tenantId,
      haravanOrgId: String(shop.config.orgId),
      haravanAccessToken: shop.config.accessToken,
      haravanWebhookSecret: shop.config.webhookSecret,
      ...(haravanApiBaseUrl && { haravanApiBaseUrl }),
      ...(revenuePolicy && { revenuePolicy }),
    }),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { apiKey: string }).apiKey;
}

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, resolveInfra, uniqueName, type TestDb } from '@cdp/testing';
import { createSecretBox } from './secret-box';
import { createTenantStore, PREVIOUS_SECRET_GRACE_MS, type TenantStore } from './tenant-store';

const HOUR = 3_600_000;

describe('the tenant store', () => {
  let store: TestDb;
  let tenants: TenantStore;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  let orgs = 700_000_000;

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'tenants' });
    tenants = createTenantStore(store.db, createSecretBox(randomBytes(32).toString('base64')), () => clock);
    await tenants.ensureIndexes();
  });

  afterAll(() => store?.cleanup());

  async function connect(): Promise<string> {
    const tenantId = uniqueName('shop');
    const created = await tenants.create({
      tenantId,
      haravanOrgId: String(orgs++),
      haravanAccessToken: 'token-1',
      haravanWebhookSecret: 'secret-1',
      haravanApiBaseUrl: 'http://127.0.0.1:9',
    });
    expect(created.ok).toBe(true);
    return tenantId;
  }

  it('keeps a replaced webhook secret for a day after the rotation, then forgets it', async () => {
    const tenantId = await connect();
    const rotated = await tenants.update(tenantId, { haravanWebhookSecret: 'secret-2' });
    expect(rotated).toMatchObject({ webhookSecret: 'secret-2', previousWebhookSecret: 'secret-1' });
    // A new webhook secret alone is no reason to restart polling.
    expect(rotated?.apiCredentialsSetAt).toEqual(rotated?.createdAt);

    clock += PREVIOUS_SECRET_GRACE_MS - HOUR;
    expect((await tenants.get(tenantId))?.previousWebhookSecret).toBe('secret-1');
    clock += 2 * HOUR;
    expect((await tenants.get(tenantId))?.previousWebhookSecret).toBeNull();
  });

  it('records the first uninstall, and a new access token ends it', async () => {
    const tenantId = await connect();
    const first = new Date(clock);
    expect(await tenants.markUninstalled(tenantId, first)).toBe(true);
    expect(await tenants.markUninstalled(tenantId, new Date(clock + HOUR))).toBe(true);
    expect((await tenants.get(tenantId))?.uninstalledAt).toEqual(first);

    // The same token again, a secret or a policy: still uninstalled.
    await tenants.update(tenantId, {
      haravanAccessToken: 'token-1',
      haravanWebhookSecret: 'secret-2',
      revenuePolicy: 'net-of-refunds',
    });
    expect((await tenants.get(tenantId))?.uninstalledAt).toEqual(first);

    clock += HOUR;
    const reinstalled = await tenants.update(tenantId, { haravanAccessToken: 'token-2' });
    expect(reinstalled).toMatchObject({
      accessToken: 'token-2',
      uninstalledAt: null,
      apiCredentialsSetAt: new Date(clock),
      revenuePolicy: 'net-of-refunds',
    });
    expect(await tenants.get(tenantId)).toEqual(reinstalled);
  });

  it('answers a missing tenant as such', async () => {
    expect(await tenants.update('no-such-shop', { revenuePolicy: 'as-written' })).toBeNull();
    expect(await tenants.markUninstalled('no-such-shop', new Date(clock))).toBe(false);
  });
});

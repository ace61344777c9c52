import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '@cdp/http';
import { createTestDb, interceptCollection, resolveInfra, uniqueName, type TestDb } from '@cdp/testing';
import { createSecretBox } from './secret-box';
import { createTenantStore, PREVIOUS_SECRET_GRACE_MS, type TenantStore } from './tenant-store';

const HOUR = 3_600_000;
const API_KEYS = 'api_keys';

describe('the tenant store', () => {
  let store: TestDb;
  let tenants: TenantStore;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  let orgs = 700_000_000;
  const box = createSecretBox(randomBytes(32).toString('base64'));

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'tenants' });
    tenants = createTenantStore(store.db, box, () => clock);
    await tenants.ensureIndexes();
  });

  afterAll(() => store?.cleanup());

  /** What connecting a shop of its own takes. */
  const shopOf = (tenantId = uniqueName('shop')) => ({
    tenantId,
    haravanOrgId: String(orgs++),
    haravanAccessToken: 'token-1',
    haravanWebhookSecret: 'secret-1',
    haravanApiBaseUrl: 'http://127.0.0.1:9',
  });

  async function connect(): Promise<string> {
    const shop = shopOf();
    const created = await tenants.create(shop);
    expect(created.ok).toBe(true);
    return shop.tenantId;
  }

  it('reads a tenant connected before revenue policies existed as counting by the rules as written', async () => {
    const tenantId = await connect();
    await store.db
      .collection<{ _id: string }>('tenants')
      .updateOne({ _id: tenantId }, { $unset: { revenuePolicy: '' } });
    expect((await tenants.get(tenantId))?.revenuePolicy).toBe('as-written');
  });

  it('stores no tenant whose API key could not be stored, so a retried create makes it, with a key', async () => {
    // The store refuses the first key write, as in a blip between the two writes.
    let refuseKey = true;
    const flaky = interceptCollection(store.db, API_KEYS, (member, original) => {
      if (member !== 'insertOne' || !refuseKey) return original;
      refuseKey = false;
      return () => Promise.reject(new Error('the store went away'));
    });
    const flakyTenants = createTenantStore(flaky, box);
    const input = shopOf();
    await expect(flakyTenants.create(input)).rejects.toThrow('the store went away');
    expect(await flakyTenants.get(input.tenantId)).toBeNull();

    const retried = await flakyTenants.create(input);
    expect(retried.ok).toBe(true);
    const key = retried.ok
      ? await store.db.collection<{ _id: string }>(API_KEYS).findOne({ _id: hashSecret(retried.apiKey) })
      : null;
    expect(key).toMatchObject({ tenantId: input.tenantId, revokedAt: null });
  });

  it('leaves no key behind for a create refused because the tenant exists', async () => {
    const tenantId = await connect();
    const again = await tenants.create(shopOf(tenantId));
    expect(again).toEqual({ ok: false, reason: 'TENANT_EXISTS' });
    expect(await store.db.collection(API_KEYS).countDocuments({ tenantId })).toBe(1);
  });

  it('tells a secret key that does not open the stored secrets from the one that sealed them', async () => {
    await connect();
    expect(await tenants.checkKey()).toEqual({ ok: true, value: undefined });

    const otherKey = createTenantStore(store.db, createSecretBox(randomBytes(32).toString('base64')));
    const checked = await otherKey.checkKey();

    expect(!checked.ok && checked.error).toMatchObject({
      code: 'ERR_SECRETS_KEY_MISMATCH',
      retriable: false,
    });
  });

  it('keeps each replaced webhook secret for 48 hours after its rotation, unless revoked', async () => {
    const tenantId = await connect();
    const rotated = await tenants.update(tenantId, { haravanWebhookSecret: 'secret-2' });
    expect(rotated).toMatchObject({ webhookSecret: 'secret-2', previousWebhookSecrets: ['secret-1'] });
    // A new webhook secret alone is no reason to restart polling.
    expect(rotated?.apiCredentialsSetAt).toEqual(rotated?.createdAt);

    // A second rotation (a typo fixed) keeps the first secret's grace: Haravan's retries carry it.
    clock += HOUR;
    await tenants.update(tenantId, { haravanWebhookSecret: 'secret-3' });
    expect((await tenants.get(tenantId))?.previousWebhookSecrets).toEqual(['secret-2', 'secret-1']);
    clock += PREVIOUS_SECRET_GRACE_MS - HOUR / 2;
    expect((await tenants.get(tenantId))?.previousWebhookSecrets).toEqual(['secret-2']);

    // A leaked secret is cut off at once.
    const revoked = await tenants.update(tenantId, { revokePreviousWebhookSecrets: true });
    expect(revoked).toMatchObject({ webhookSecret: 'secret-3', previousWebhookSecrets: [] });
    expect((await tenants.get(tenantId))?.previousWebhookSecrets).toEqual([]);
  });

  it('answers the handshake with a verify token set after creation, and no longer with the one it replaced', async () => {
    const tenantId = await connect();
    expect(await tenants.byVerifyToken(`${tenantId}-verify-1`)).toBeNull();
    await tenants.update(tenantId, { webhookVerifyToken: `${tenantId}-verify-1` });
    expect(await tenants.byVerifyToken(`${tenantId}-verify-1`)).toMatchObject({ tenantId });
    const changed = await tenants.update(tenantId, { webhookVerifyToken: `${tenantId}-verify-2` });
    expect(changed).toMatchObject({ webhookVerifyToken: `${tenantId}-verify-2` });
    expect(await tenants.byVerifyToken(`${tenantId}-verify-1`)).toBeNull();
    expect(await tenants.byVerifyToken(`${tenantId}-verify-2`)).toMatchObject({ tenantId });
  });

  it('records the first uninstall, and setting a token, even the same one, ends it', async () => {
    const tenantId = await connect();
    const first = new Date(clock);
    expect(await tenants.markUninstalled(tenantId, first)).toBe(true);
    expect(await tenants.markUninstalled(tenantId, new Date(clock + HOUR))).toBe(true);
    expect((await tenants.get(tenantId))?.uninstalledAt).toEqual(first);

    // A secret or a policy: still uninstalled.
    await tenants.update(tenantId, { haravanWebhookSecret: 'secret-2', revenuePolicy: 'net-of-refunds' });
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

    // A late retry of the uninstall after the reinstall: the operator undoes it with the same token.
    await tenants.markUninstalled(tenantId, new Date(clock));
    clock += HOUR;
    expect(await tenants.update(tenantId, { haravanAccessToken: 'token-2' })).toMatchObject({
      uninstalledAt: null,
      apiCredentialsSetAt: new Date(clock),
    });
  });

  it('records credentials Haravan refused until new ones are set or they are taken again, never marking new ones for a late answer', async () => {
    const tenantId = await connect();
    const first = await tenants.get(tenantId);
    if (!first) throw new Error('connected tenant not found');
    clock += HOUR;
    await tenants.markCredentialsRefused(tenantId, first.apiCredentialsSetAt, new Date(clock));
    expect((await tenants.get(tenantId))?.credentialsRefusedAt).toEqual(new Date(clock));

    clock += HOUR;
    const renewed = await tenants.update(tenantId, { haravanAccessToken: 'token-2' });
    expect(renewed).toMatchObject({ credentialsRefusedAt: null, apiCredentialsSetAt: new Date(clock) });
    // A 401 to the old token, answered after the new one was set.
    await tenants.markCredentialsRefused(tenantId, first.apiCredentialsSetAt, new Date(clock));
    expect((await tenants.get(tenantId))?.credentialsRefusedAt).toBeNull();

    // Refused now and then (Haravan in trouble), then taken again.
    await tenants.markCredentialsRefused(
      tenantId,
      renewed?.apiCredentialsSetAt ?? new Date(0),
      new Date(clock),
    );
    expect((await tenants.get(tenantId))?.credentialsRefusedAt).toEqual(new Date(clock));
    await tenants.markCredentialsRefused(tenantId, renewed?.apiCredentialsSetAt ?? new Date(0), null);
    expect((await tenants.get(tenantId))?.credentialsRefusedAt).toBeNull();
  });

  it('answers a missing tenant as such', async () => {
    expect(await tenants.update('no-such-shop', { revenuePolicy: 'as-written' })).toBeNull();
    expect(await tenants.markUninstalled('no-such-shop', new Date(clock))).toBe(false);
  });
});

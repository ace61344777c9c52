import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '@cdp/http';
import { createTestDb, listen, resolveInfra, uniqueName, type Listening, type TestDb } from '@cdp/testing';
import { appWithFakes, ADMIN_TOKEN } from '../app-fakes.test-helper';
import { apiKeyIssuedSchema, apiKeyListSchema } from './tenant-schemas';
import { createSecretBox } from './secret-box';
import { createTenantStore } from './tenant-store';

describe('read API keys at the admin routes', () => {
  let store: TestDb;
  let server: Listening;
  let org = 710_000_000;

  beforeAll(async () => {
    store = await createTestDb((await resolveInfra()).mongoUri, { prefix: 'api-keys' });
    const tenants = createTenantStore(store.db, createSecretBox(randomBytes(32).toString('base64')));
    await tenants.ensureIndexes();
    server = await listen(appWithFakes({ tenants }));
  });

  afterAll(async () => {
    await server?.close();
    await store?.cleanup();
  });

  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });

  async function connect(): Promise<{ tenantId: string; keyId: string }> {
    const tenantId = uniqueName('shop');
    const res = await admin('POST', '/admin/tenants', {
      tenantId,
      haravanOrgId: String(org++),
      haravanAccessToken: 'token',
      haravanWebhookSecret: 'secret',
    });
    expect(res.status).toBe(201);
    return apiKeyIssuedSchema.parse(await res.json());
  }

  const keysOf = async (tenantId: string) => {
    const res = await admin('GET', `/admin/tenants/${tenantId}/api-keys`);
    expect(res.status).toBe(200);
    return apiKeyListSchema.parse(await res.json()).items;
  };

  it('names each issued key by an id, lists the ids and revokes a key by its id alone', async () => {
    const { tenantId, keyId: first } = await connect();
    const res = await admin('POST', `/admin/tenants/${tenantId}/api-keys`);
    expect(res.status).toBe(201);
    const second = apiKeyIssuedSchema.parse(await res.json());
    // The id is what the read API looks the key up by: it names that key and no other.
    expect(second.keyId).toBe(hashSecret(second.apiKey));

    expect((await keysOf(tenantId)).map((k) => [k.keyId, k.revokedAt])).toEqual([
      [first, null],
      [second.keyId, null],
    ]);
    expect(JSON.stringify(await keysOf(tenantId))).not.toContain(second.apiKey);

    expect((await admin('DELETE', `/admin/tenants/${tenantId}/api-keys/${first}`)).status).toBe(204);
    const [revoked, kept] = await keysOf(tenantId);
    expect(revoked?.revokedAt).not.toBeNull();
    expect(kept).toMatchObject({ keyId: second.keyId, revokedAt: null });
    const doc = await store.db
      .collection<{ _id: string; tenantId: string; revokedAt: Date | null }>('api_keys')
      .findOne({ _id: first });
    expect(doc?.tenantId).toBe(tenantId);
    expect(doc?.revokedAt).toBeInstanceOf(Date);

    // Revoked already: nothing left to revoke.
    const again = await admin('DELETE', `/admin/tenants/${tenantId}/api-keys/${first}`);
    expect(again.status).toBe(404);
  });

  it('refuses a key itself in the path, without revoking it', async () => {
    const { tenantId } = await connect();
    const res = await admin('POST', `/admin/tenants/${tenantId}/api-keys`);
    const { apiKey } = apiKeyIssuedSchema.parse(await res.json());

    const refused = await admin('DELETE', `/admin/tenants/${tenantId}/api-keys/${apiKey}`);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 'ERR_BAD_KEY_ID' } });
    expect((await keysOf(tenantId)).every((k) => k.revokedAt === null)).toBe(true);
  });

  it("revokes no other tenant's key", async () => {
    const a = await connect();
    const b = await connect();
    expect((await admin('DELETE', `/admin/tenants/${b.tenantId}/api-keys/${a.keyId}`)).status).toBe(404);
    expect(await keysOf(a.tenantId)).toEqual([expect.objectContaining({ keyId: a.keyId, revokedAt: null })]);
  });

  it('answers 404 for the keys of a tenant that does not exist', async () => {
    expect((await admin('GET', `/admin/tenants/${uniqueName('none')}/api-keys`)).status).toBe(404);
  });
});

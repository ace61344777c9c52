import { describe, expect, it } from 'vitest';
import { createTenantBody, tenantChangesBody } from './tenant-schemas';

const body = (haravanOrgId: unknown) => ({
  tenantId: 'shop-a',
  haravanOrgId,
  haravanAccessToken: 'token',
  haravanWebhookSecret: 'secret',
});

describe("a new tenant's Haravan org id", () => {
  it('is taken as digits, given as text or as a number', () => {
    expect(createTenantBody.parse(body('200001220498')).haravanOrgId).toBe('200001220498');
    expect(createTenantBody.parse(body(1001)).haravanOrgId).toBe('1001');
  });

  it('is refused with a leading zero, which would make a second tenant of one shop', () => {
    expect(createTenantBody.safeParse(body('0100')).success).toBe(false);
    expect(createTenantBody.safeParse(body('10a')).success).toBe(false);
  });
});

describe("a tenant's Haravan access token", () => {
  it('is refused with a space or a line break, which would go into every request header', () => {
    for (const token of ['abc def', 'abc\n', ' abc', 'abc\u0000', 'токен', ''])
      expect(createTenantBody.safeParse({ ...body('1001'), haravanAccessToken: token }).success).toBe(false);
    expect(tenantChangesBody.safeParse({ haravanAccessToken: 'abc\r\n' }).success).toBe(false);
  });

  it('is taken as printable ASCII', () => {
    expect(tenantChangesBody.parse({ haravanAccessToken: 'A1b2-_.~+/=' })).toEqual({
      haravanAccessToken: 'A1b2-_.~+/=',
    });
  });
});

describe("a tenant's Haravan API base URL", () => {
  it('is https, or http on this machine only, since the access token goes with every call', () => {
    for (const url of ['https://apis.haravan.com', 'http://127.0.0.1:3100', 'http://localhost:3100'])
      expect(tenantChangesBody.safeParse({ haravanApiBaseUrl: url }).success).toBe(true);
    for (const url of ['http://apis.haravan.com', 'ftp://127.0.0.1', 'http://10.0.0.5:3100'])
      expect(createTenantBody.safeParse({ ...body('1001'), haravanApiBaseUrl: url }).success).toBe(false);
  });

  it('carries no user name, password, query or fragment, which every call would send or quote', () => {
    expect(tenantChangesBody.safeParse({ haravanApiBaseUrl: 'https://apis.haravan.com/base/' }).success).toBe(
      true,
    );
    for (const url of [
      'https://user:s3cret@apis.haravan.com',
      'https://user@apis.haravan.com',
      'https://apis.haravan.com?x=1',
      'https://apis.haravan.com#top',
    ])
      expect(tenantChangesBody.safeParse({ haravanApiBaseUrl: url }).success, url).toBe(false);
  });
});

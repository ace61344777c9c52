import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type Listening } from '@cdp/testing';
import { ADMIN_TOKEN, appWithFakes } from './app-fakes.test-helper';

describe("ingest's error answers", () => {
  let server: Listening;
  const admin = async (method: string, path: string) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    return { status: res.status, body: await res.json() };
  };

  beforeAll(async () => {
    server = await listen(appWithFakes());
  });
  afterAll(() => server.close());

  it.each([
    ['GET', '/admin/tenants/%ZZ'],
    ['PATCH', '/admin/tenants/%ZZ'],
    ['POST', '/admin/tenants/%ZZ/api-keys'],
  ])('answers %s %s, not valid percent-encoding, with 400 ERR_BAD_PATH', async (method, path) => {
    expect(await admin(method, path)).toEqual({
      status: 400,
      body: { error: { code: 'ERR_BAD_PATH', message: 'the path is not valid percent-encoding' } },
    });
  });

  it.each([
    ['GET', '/admin/tenants'],
    ['DELETE', '/admin/tenants/demo'],
    ['PUT', '/haravan/webhook'],
    ['GET', '/no-such-page'],
  ])('answers %s %s, which it does not serve, with a JSON 404 ERR_NOT_FOUND', async (method, path) => {
    expect(await admin(method, path)).toEqual({
      status: 404,
      body: { error: { code: 'ERR_NOT_FOUND', message: `no route ${method} ${path}` } },
    });
  });
});

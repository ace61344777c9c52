import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerTo, listen, type Listening } from '@cdp/testing';
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
    ['GET', '/admin/tenants', 'POST, OPTIONS'],
    ['DELETE', '/admin/tenants/demo', 'GET, HEAD, PATCH, OPTIONS'],
    ['PUT', '/haravan/webhook', 'GET, HEAD, POST, OPTIONS'],
  ])('answers %s %s, served with other methods, 405 naming them in Allow', async (method, path, allow) => {
    expect(await answerTo(`${server.url}${path}`, method, `Bearer ${ADMIN_TOKEN}`)).toMatchObject({
      status: 405,
      allow,
      body: { error: { code: 'ERR_METHOD_NOT_ALLOWED' } },
    });
  });

  it('answers /metrics, whose series name tenants, only with the admin token, its port being public', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('answers a path it does not serve with a JSON 404 ERR_NOT_FOUND', async () => {
    expect(await admin('GET', '/no-such-page')).toEqual({
      status: 404,
      body: { error: { code: 'ERR_NOT_FOUND', message: 'no route GET /no-such-page' } },
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerTo, listen, type Listening } from '@cdp/testing';
import { ADMIN_TOKEN, appWithFakes } from './app-fakes.test-helper';

const METRICS_TOKEN = 'metrics-token-0123456789';

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

  it('answers /metrics, whose series name tenants, only with the admin or the metrics token, its port being public', async () => {
    const scraped = await listen(appWithFakes({ metricsToken: METRICS_TOKEN }));
    try {
      const get = (path: string, token?: string) =>
        fetch(`${scraped.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
      expect((await get('/metrics')).status).toBe(401);
      for (const token of [ADMIN_TOKEN, METRICS_TOKEN]) {
        const res = await get('/metrics', token);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      }
      // The scraper's token reads metrics only.
      expect((await get('/admin/tenants/demo', METRICS_TOKEN)).status).toBe(401);
      expect((await get('/healthz')).status).toBe(200);
    } finally {
      await scraped.close();
    }
  });

  it('answers a path it does not serve with a JSON 404 ERR_NOT_FOUND', async () => {
    expect(await admin('GET', '/no-such-page')).toEqual({
      status: 404,
      body: { error: { code: 'ERR_NOT_FOUND', message: 'no route GET /no-such-page' } },
    });
  });
});

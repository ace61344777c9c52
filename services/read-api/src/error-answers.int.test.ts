import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, hashSecret } from '@cdp/http';
import { createLogger } from '@cdp/logging';
import { answerTo, listen, type Listening } from '@cdp/testing';
import { createApp } from './app';

const API_KEY = 'key-of-shop-a';

// Only the API key is looked up: what is answered here is decided before any read model is read.
const db = {
  collection: (name: string) => ({
    findOne: ({ _id }: { _id: string }) =>
      Promise.resolve(
        name === 'api_keys' && _id === hashSecret(API_KEY)
          ? { _id, tenantId: 'shop-a', revokedAt: null }
          : null,
      ),
  }),
} as unknown as Db;
const app = createApp({
  db,
  log: createLogger('test', 'silent'),
  metrics: createMetrics('test'),
  checks: [],
});

describe("the read API's error answers", () => {
  let server: Listening;
  const get = async (path: string, authorization = `Bearer ${API_KEY}`) => {
    const res = await fetch(`${server.url}${path}`, { headers: { authorization } });
    return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.json() };
  };

  beforeAll(async () => {
    server = await listen(app);
  });
  afterAll(() => server.close());

  it.each([
    '/v1/customers/%ZZ',
    '/v1/customers/%ZZ/orders',
    '/v1/orders/%ZZ',
    '/v1/products/%ZZ',
    '/v1/commands/%ZZ',
  ])('answers %s, not valid percent-encoding, with 400 ERR_BAD_PATH', async (path) => {
    expect(await get(path)).toEqual({
      status: 400,
      challenge: null,
      body: { error: { code: 'ERR_BAD_PATH', message: 'the path is not valid percent-encoding' } },
    });
  });

  it.each(['/v1/no-such-read', '/no-such-page'])(
    'answers %s, which it does not serve, with a JSON 404 ERR_NOT_FOUND',
    async (path) => {
      expect(await get(path)).toEqual({
        status: 404,
        challenge: null,
        body: { error: { code: 'ERR_NOT_FOUND', message: `no route GET ${path}` } },
      });
    },
  );

  it.each([
    ['DELETE', '/v1/customers/c1', 'GET, HEAD, OPTIONS'],
    ['PUT', '/v1/orders', 'GET, HEAD, POST, OPTIONS'],
  ])('answers %s %s, served with other methods, 405 naming them in Allow', async (method, path, allow) => {
    expect(await answerTo(`${server.url}${path}`, method, `Bearer ${API_KEY}`)).toMatchObject({
      status: 405,
      allow,
      body: { error: { code: 'ERR_METHOD_NOT_ALLOWED' } },
    });
  });

  it('takes the API key whatever the case of the Bearer scheme', async () => {
    for (const scheme of ['bearer', 'BEARER']) {
      // Past the key check: a path it does not serve is 404, not 401.
      expect((await get('/v1/no-such-read', `${scheme} ${API_KEY}`)).status, scheme).toBe(404);
    }
  });

  it.each([
    ['', 'Bearer realm="cdp tenant"'],
    [`Basic ${API_KEY}`, 'Bearer realm="cdp tenant"'],
    ['Bearer not-a-key', 'Bearer realm="cdp tenant", error="invalid_token"'],
  ])(
    'refuses the Authorization %j with 401 ERR_UNAUTHORIZED and the challenge %s',
    async (authorization, challenge) => {
      expect(await get('/v1/orders', authorization)).toEqual({
        status: 401,
        challenge,
        body: { error: { code: 'ERR_UNAUTHORIZED', message: 'a valid tenant API key is required' } },
      });
    },
  );
});

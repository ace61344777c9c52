import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '@cdp/http';
import { createLogger } from '@cdp/logging';
import { answerTo, listen, type Listening } from '@cdp/testing';
import { opsApp } from './ops-app';
import type { Projector } from './projector';

const ADMIN_TOKEN = 'admin-token';

// A replay that gets past the request's checks reaches the projector and applies nothing.
const projector = {
  replayParked: () => Promise.resolve({ applied: 0, remaining: 0, error: null }),
  parkingLot: { list: () => Promise.resolve([]) },
} as unknown as Projector;

describe("the projector's ops port", () => {
  let server: Listening;
  const call = async (method: string, path: string, body?: string) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body }),
    });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  let live: Projector | null = projector;

  beforeAll(async () => {
    const app = opsApp({
      metrics: createMetrics('test'),
      checks: [],
      adminToken: ADMIN_TOKEN,
      log: createLogger('test', 'silent'),
      projector: () => live,
    });
    server = await listen(app);
  });
  afterAll(() => server.close());

  it('answers health while standing by for the writer lease, and sends parked-event calls to the writer', async () => {
    live = null;
    try {
      expect((await call('GET', '/healthz')).status).toBe(200);
      const parked = await call('GET', '/admin/parked');
      expect(parked.status).toBe(503);
      expect(JSON.parse(parked.text)).toMatchObject({ error: { code: 'ERR_PROJECTOR_STANDBY' } });
    } finally {
      live = projector;
    }
    expect(await call('GET', '/admin/parked')).toMatchObject({ status: 200, text: '{"items":[]}' });
  });

  it('answers a replay whose body is not JSON with a JSON 400 ERR_BAD_JSON, and no stack', async () => {
    const res = await call('POST', '/admin/parked/replay', '{"topic": cdp.orders.v1');
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/json/);
    expect(JSON.parse(res.text)).toEqual({
      error: { code: 'ERR_BAD_JSON', message: 'body is not valid JSON' },
    });
    expect(res.text).not.toMatch(/node_modules|at \w/);
  });

  it('replays a key given as JSON', async () => {
    const res = await call(
      'POST',
      '/admin/parked/replay',
      JSON.stringify({ topic: 'cdp.orders.v1', key: 'k' }),
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ applied: 0, remaining: 0, error: null });
  });

  it.each([
    ['GET', '/admin/parked/replay', 'POST, OPTIONS'],
    ['DELETE', '/admin/parked', 'GET, HEAD, OPTIONS'],
  ])('answers %s %s, served with other methods, 405 naming them in Allow', async (method, path, allow) => {
    expect(await answerTo(`${server.url}${path}`, method, `Bearer ${ADMIN_TOKEN}`)).toMatchObject({
      status: 405,
      allow,
      body: { error: { code: 'ERR_METHOD_NOT_ALLOWED' } },
    });
  });

  it('answers a path it does not serve with a JSON 404 ERR_NOT_FOUND', async () => {
    const res = await call('GET', '/no-such-page');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toEqual({
      error: { code: 'ERR_NOT_FOUND', message: 'no route GET /no-such-page' },
    });
  });
});

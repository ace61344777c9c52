import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type Listening } from '@cdp/testing';
import { requireAdmin } from './admin-auth';

const TOKEN = 'an-admin-token-for-tests';
const app = express().use(requireAdmin(TOKEN), (_req, res) => {
  res.json({ admitted: true });
});

describe('the admin token check', () => {
  let server: Listening;
  const send = (authorization?: string) =>
    fetch(server.url, { headers: authorization === undefined ? {} : { authorization } });

  beforeAll(async () => {
    server = await listen(app);
  });
  afterAll(() => server.close());

  it('admits the admin token, whatever the case of the Bearer scheme', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      expect((await send(`${scheme} ${TOKEN}`)).status, scheme).toBe(200);
    }
  });

  it.each([
    [undefined, 'Bearer realm="cdp admin"'],
    [`Basic ${TOKEN}`, 'Bearer realm="cdp admin"'],
    [`Bearer ${TOKEN}x`, 'Bearer realm="cdp admin", error="invalid_token"'],
  ])('refuses %j with 401 ERR_ADMIN_UNAUTHORIZED and the challenge %s', async (authorization, challenge) => {
    const res = await send(authorization);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(challenge);
    expect(await res.json()).toEqual({
      error: { code: 'ERR_ADMIN_UNAUTHORIZED', message: 'admin bearer token required' },
    });
  });
});

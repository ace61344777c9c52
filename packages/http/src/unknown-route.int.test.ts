import express, { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerTo, listen, type Listening } from '@cdp/testing';
import { unknownRoute } from './unknown-route';

const admin = Router()
  .get('/tenants/:tenantId', (_req, res) => {
    res.json({});
  })
  .patch('/tenants/:tenantId', (_req, res) => {
    res.json({});
  });

const app = express()
  .get('/things/:id', (_req, res) => {
    res.json({});
  })
  .post('/things/:id', (_req, res) => {
    res.json({});
  })
  // Passes what it gets on, as no route of the services does.
  .get('/passing', (_req, _res, next) => {
    next();
  })
  .use((_req, _res, next) => next())
  .use('/admin', admin)
  .use(unknownRoute);

describe('the answer for a route not served', () => {
  let server: Listening;
  const answer = (method: string, path: string) => answerTo(`${server.url}${path}`, method);

  beforeAll(async () => {
    server = await listen(app);
  });
  afterAll(() => server.close());

  it('answers a served path asked with another method 405, naming the allowed ones', async () => {
    expect(await answer('DELETE', '/things/7')).toEqual({
      status: 405,
      allow: 'GET, HEAD, POST, OPTIONS',
      body: {
        error: {
          code: 'ERR_METHOD_NOT_ALLOWED',
          message: 'DELETE is not served at /things/7; it answers GET, HEAD, POST, OPTIONS',
        },
      },
    });
  });

  it("finds a mounted router's routes below its mount path", async () => {
    const res = await answer('PUT', '/admin/tenants/demo');
    expect(res.status).toBe(405);
    expect(res.allow).toBe('GET, HEAD, PATCH, OPTIONS');
  });

  it('answers OPTIONS on a served path 204, naming the methods', async () => {
    const res = await fetch(`${server.url}/things/7`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
  });

  it.each([
    ['GET', '/things'],
    ['GET', '/admin/tenants'],
    ['POST', '/nothing/here'],
    ['GET', '/passing'],
  ])('answers %s %s, a path nothing serves, 404', async (method, path) => {
    expect(await answer(method, path)).toEqual({
      status: 404,
      allow: null,
      body: { error: { code: 'ERR_NOT_FOUND', message: `no route ${method} ${path}` } },
    });
  });
});

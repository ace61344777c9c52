import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '@cdp/logging';
import { listen, type Listening } from '@cdp/testing';
import { errorHandler } from './error-handler';

const app = express()
  .get('/things/:id', (req, res) => {
    res.json({ id: req.params.id });
  })
  .post('/things', express.json({ limit: '1kb' }), (_req, res) => {
    res.json({});
  })
  .get('/broken', () => {
    throw new Error('connection string mongodb://user:secret@db');
  })
  .use(errorHandler(createLogger('test', 'silent')));

describe('the shared error handler', () => {
  let server: Listening;
  const answer = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${server.url}${path}`, init);
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };
  const post = (body: string, type = 'application/json') =>
    answer('/things', { method: 'POST', headers: { 'content-type': type }, body });

  beforeAll(async () => {
    server = await listen(app);
  });
  afterAll(() => server.close());

  it('answers a path parameter that is not valid percent-encoding with 400 ERR_BAD_PATH', async () => {
    const res = await answer('/things/%ZZ');
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 'ERR_BAD_PATH', message: 'the path is not valid percent-encoding' },
    });
  });

  it('answers a body that is not JSON with 400 ERR_BAD_JSON, and one too large with 413', async () => {
    const bad = await post('{"topic":');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({
      error: { code: 'ERR_BAD_JSON', message: 'body is not valid JSON' },
    });
    const large = await post(JSON.stringify({ text: 'x'.repeat(2_000) }));
    expect(large.status).toBe(413);
    expect(JSON.parse(large.body)).toMatchObject({ error: { code: 'ERR_BODY_TOO_LARGE' } });
  });

  it("answers body-parser's other refusals with their own 4xx and its message", async () => {
    const res = await post('{}', 'application/json; charset=latin1');
    expect(res.status).toBe(415);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 'ERR_BAD_REQUEST', message: 'unsupported charset "LATIN1"' },
    });
  });

  it('answers its own failures with 500 ERR_INTERNAL, telling nothing of their cause', async () => {
    const res = await answer('/broken');
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'ERR_INTERNAL', message: 'internal error' } });
  });

  it("logs a failure's route pattern, not its path, whose ids can name a person", async () => {
    const logged: Record<string, unknown>[] = [];
    const log = { error: (fields: Record<string, unknown>) => logged.push(fields) } as unknown as Logger;
    const failing = express()
      .get('/v1/customers/:id', () => {
        throw new Error('store away');
      })
      .use(errorHandler(log));
    const own = await listen(failing);
    try {
      await fetch(`${own.url}/v1/customers/receiver:cGhvbmU6Kzg0OTEyMzQ1Njc4`);
    } finally {
      await own.close();
    }
    expect(logged).toEqual([expect.objectContaining({ route: '/v1/customers/:id', method: 'GET' })]);
    expect(JSON.stringify(logged)).not.toContain('cGhvbmU6');
  });

  it('never answers with a stack or a module path', async () => {
    for (const res of [await answer('/things/%ZZ'), await post('{'), await answer('/broken')]) {
      expect(res.body).not.toMatch(/node_modules|at \w|\.js:\d+/);
    }
  });
});

import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type Listening } from '@cdp/testing';
import { createMetrics } from './metrics';
import { opsRouter } from './ops-router';

describe('readiness', () => {
  let server: Listening;
  let kafkaChecks = 0;

  beforeAll(async () => {
    const app = express().use(
      opsRouter({
        metrics: createMetrics('test'),
        checks: [
          { name: 'store', check: () => Promise.resolve(true) },
          // As kafkajs's describeCluster with the broker gone: no answer for half a minute.
          {
            name: 'kafka',
            check: () => {
              kafkaChecks += 1;
              return new Promise<boolean>(() => undefined);
            },
          },
          { name: 'registry', check: () => Promise.reject(new Error('refused')) },
        ],
        checkTimeoutMs: 200,
      }),
    );
    server = await listen(app);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('answers within its timeout, naming the dependency that does not answer in time or fails', async () => {
    const res = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(5_000) });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'not ready',
      checks: [
        { name: 'store', ok: true },
        { name: 'kafka', ok: false },
        { name: 'registry', ok: false },
      ],
    });
  });

  it('runs a check that hangs once for every probe that comes meanwhile', async () => {
    const before = kafkaChecks;
    await Promise.all([1, 2, 3].map(() => fetch(`${server.url}/readyz`)));
    expect(kafkaChecks - before).toBeLessThanOrEqual(1);
  });
});

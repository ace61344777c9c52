import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHaravanClient } from './haravan-client';
import { createShopBucket } from './shop-bucket';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A local server answering every call with `answer`; its calls are counted. */
async function serve(answer: (res: ServerResponse) => void) {
  let calls = 0;
  const server = createServer((req, res) => {
    calls += 1;
    req.resume();
    answer(res);
  }).listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls: () => calls };
}

const clientOf = (baseUrl: string) =>
  createHaravanClient({
    baseUrl,
    accessToken: 'a-token',
    bucket: createShopBucket({ capacity: 10, drainPerSecond: 5, reserve: 0, now: Date.now }),
    retry: { attempts: 2, throttledAttempts: 2, baseMs: 10, maxMs: 20, timeoutMs: 2000 },
    now: Date.now,
  });

describe("the Haravan client's answers", () => {
  it('refuses a redirect instead of following it with the body', async () => {
    const elsewhere = await serve((res) => res.writeHead(201).end('{"customer":{"id":1}}'));
    const redirecting = await serve((res) =>
      res.writeHead(307, { location: `${elsewhere.url}/com/customers.json` }).end(),
    );
    const answer = await clientOf(redirecting.url).write('POST', 'customers.json', {
      customer: { email: 'an@example.vn' },
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'ERR_HARAVAN_REJECTED', retriable: false } });
    expect(elsewhere.calls()).toBe(0);
  });
});

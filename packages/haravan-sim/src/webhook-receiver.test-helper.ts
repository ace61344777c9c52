import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  topic: string;
  orgId: string;
  signature: string;
  contentType: string;
  raw: string;
  headers: IncomingHttpHeaders;
}

/** A stand-in for the CDP's webhook endpoint: records deliveries, answers with `statusFor`. */
export async function startReceiver(statusFor: (index: number, received: Received) => number = () => 200) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET') {
      const ok = url.searchParams.get('hub.verify_token') === 'verify-me';
      res.writeHead(ok ? 200 : 401).end(ok ? (url.searchParams.get('hub.challenge') ?? '') : '');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Received = {
        topic: String(req.headers['x-haravan-topic']),
        orgId: String(req.headers['x-haravan-org-id']),
        signature: String(req.headers['x-haravan-hmacsha256']),
        contentType: String(req.headers['content-type']),
        raw: Buffer.concat(chunks).toString('utf8'),
        headers: req.headers,
      };
      received.push(entry);
      res.writeHead(statusFor(received.length - 1, entry)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/haravan/webhook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

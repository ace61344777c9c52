import { Agent, request } from 'node:http';
import { runConcurrently, type Rate } from './measure-rate';

export interface HttpCall {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

export interface HttpLoadResult {
  rate: Rate;
  latenciesMs: number[];
}

/**
 * One keep-alive client for every target, so a target and its baseline see the same client cost:
 * plain node:http with `concurrency` sockets, each call counted only once its 200 body has arrived.
 */
export function createHttpLoad(concurrency: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

  const call = (baseUrl: string, c: HttpCall, retried = false): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        new URL(c.path, baseUrl),
        {
          agent,
          method: c.method,
          headers: { ...c.headers, ...(c.body && { 'content-length': String(c.body.length) }) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            if (res.statusCode === 200) resolve();
            else
              reject(
                new Error(
                  `${c.method} ${c.path}: ${res.statusCode} ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`,
                ),
              );
          });
          res.on('error', reject);
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed as this call took it (Node's documented race):
        // the call never reached the server, so it is made again, once.
        if (req.reusedSocket && error.code === 'ECONNRESET' && !retried)
          call(baseUrl, c, true).then(resolve, reject);
        else reject(error);
      });
      req.end(c.body);
    });

  return {
    /** `n` calls of `callAt(i)` against `baseUrl`, `concurrency` in flight. */
    run(baseUrl: string, n: number, callAt: (index: number) => HttpCall): Promise<HttpLoadResult> {
      return runConcurrently(n, concurrency, (i) => call(baseUrl, callAt(i)));
    },
    close: () => agent.destroy(),
  };
}

import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Metrics } from './metrics';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean>;
}

/**
 * How long a readiness check may take before it counts as failed: kafkajs retries an unreachable
 * broker for half a minute, past any probe's timeout, and a probe that times out says not which
 * dependency is down.
 */
export const CHECK_TIMEOUT_MS = 2_000;

/** The check's answer, false once it throws or takes longer than `timeoutMs`. */
function answerWithin(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  return Promise.race([check().catch(() => false), late]).finally(() => clearTimeout(timer));
}

/** How long probes share a check that has not answered before one runs it afresh (a promise may never settle). */
const SHARE_CHECK_MS = 30_000;

/** One run of `check` at a time: probes that come while one hangs wait for it instead of piling up more. */
function sharedWhileRunning(check: () => Promise<boolean>): () => Promise<boolean> {
  let running: { answer: Promise<boolean>; since: number } | null = null;
  return () => {
    if (running && Date.now() - running.since < SHARE_CHECK_MS) return running.answer;
    const answer = check().finally(() => {
      if (running?.answer === answer) running = null;
    });
    running = { answer, since: Date.now() };
    return answer;
  };
}

/** /healthz: the process answers. /readyz: every dependency answers. /metrics: Prometheus text. */
export function opsRouter(opts: {
  metrics: Metrics;
  checks: ReadinessCheck[];
  checkTimeoutMs?: number;
  /** Asked of `/metrics` first, where the port is public and the series name tenants. */
  metricsGuard?: RequestHandler;
}): Router {
  const timeoutMs = opts.checkTimeoutMs ?? CHECK_TIMEOUT_MS;
  const checks = opts.checks.map(({ name, check }) => ({ name, check: sharedWhileRunning(check) }));
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => ({ name, ok: await answerWithin(check, timeoutMs) })),
    );
    const ready = results.every((r) => r.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: results });
  });
  router.get(
    '/metrics',
    ...(opts.metricsGuard ? [opts.metricsGuard] : []),
    (_req: Request, res: Response) => {
      res.type('text/plain; version=0.0.4').send(opts.metrics.render());
    },
  );
  return router;
}

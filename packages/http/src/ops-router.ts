import { Router } from 'express';
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

/** /healthz: the process answers. /readyz: every dependency answers. /metrics: Prometheus text. */
export function opsRouter(opts: {
  metrics: Metrics;
  checks: ReadinessCheck[];
  checkTimeoutMs?: number;
}): Router {
  const timeoutMs = opts.checkTimeoutMs ?? CHECK_TIMEOUT_MS;
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      opts.checks.map(async ({ name, check }) => ({ name, ok: await answerWithin(check, timeoutMs) })),
    );
    const ready = results.every((r) => r.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: results });
  });
  router.get('/metrics', (_req, res) => {
    res.type('text/plain; version=0.0.4').send(opts.metrics.render());
  });
  return router;
}

import { Router } from 'express';
import type { Metrics } from './metrics';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean>;
}

/** /healthz: the process answers. /readyz: every dependency answers. /metrics: Prometheus text. */
export function opsRouter(opts: { metrics: Metrics; checks: ReadinessCheck[] }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      opts.checks.map(async ({ name, check }) => ({ name, ok: await check().catch(() => false) })),
    );
    const ready = results.every((r) => r.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: results });
  });
  router.get('/metrics', (_req, res) => {
    res.type('text/plain; version=0.0.4').send(opts.metrics.render());
  });
  return router;
}

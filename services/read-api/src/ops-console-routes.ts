import type { DeciderLag, LogEnds } from '@cdp/read-models';
import { Router } from 'express';
import type { Db } from 'mongodb';
import { requireOperator } from './ops-console-auth';
import { renderOpsPage } from './ops-console-page';
import { readOpsStatus } from './ops-console-status';

/** The operator's console at `/ops`: the page, and the same data as JSON at `/ops/status.json`. */
export function opsConsoleRoutes(
  db: Db,
  adminToken: string,
  logEnds?: LogEnds,
  decider?: Pick<DeciderLag, 'lagMs'>,
): Router {
  const router = Router();
  router.use('/ops', requireOperator(adminToken), (_req, res, next) => {
    // Live, authenticated data: never cached; the page may load nothing from elsewhere, run no script.
    res.set({
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    });
    next();
  });
  router.get('/ops', async (_req, res) => {
    res.type('html').send(renderOpsPage(await readOpsStatus(db, logEnds, decider)));
  });
  router.get('/ops/status.json', async (_req, res) => {
    res.json(await readOpsStatus(db, logEnds, decider));
  });
  return router;
}

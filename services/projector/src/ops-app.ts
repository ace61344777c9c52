import express, { type Express } from 'express';
import {
  errorHandler,
  opsRouter,
  requireAdmin,
  unknownRoute,
  type Metrics,
  type ReadinessCheck,
} from '@cdp/http';
import type { Logger } from '@cdp/logging';
import { parkedRouter } from './parked-routes';
import type { Projector } from './projector';

export interface OpsAppDeps {
  metrics: Metrics;
  checks: ReadinessCheck[];
  adminToken: string;
  log: Logger;
  /** The live generation's projector, whose parked events the operator lists and replays. */
  projector: () => Projector;
}

/**
 * The projector's ops port: health, readiness and metrics, and the parked events behind the admin
 * token. Errors and unknown routes answer in the contract's JSON shape, as ingest and the read API do.
 */
export function opsApp(deps: OpsAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(opsRouter({ metrics: deps.metrics, checks: deps.checks }));
  app.use('/admin', requireAdmin(deps.adminToken), parkedRouter(deps.projector));
  app.use(unknownRoute);
  app.use(errorHandler(deps.log));
  return app;
}

import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import {
  errorHandler,
  opsRouter,
  requireAdmin,
  unknownRoute,
  type ErrorView,
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
  /** The live generation's projector, whose parked events the operator lists and replays; null standing by. */
  projector: () => Projector | null;
}

/**
 * The projector's ops port: health, readiness and metrics, and the parked events behind the admin
 * token. Errors and unknown routes answer in the contract's JSON shape, as ingest and the read API do.
 */
export function opsApp(deps: OpsAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(opsRouter({ metrics: deps.metrics, checks: deps.checks }));
  const live = (): Projector => {
    const projector = deps.projector();
    if (!projector) throw new Error('no live projector');
    return projector;
  };
  app.use(
    '/admin',
    requireAdmin(deps.adminToken),
    (_req: Request, res: Response, next: NextFunction) => {
      if (deps.projector()) return next();
      // Parked events are the writer's to replay: this process only stands by for its lease.
      res.status(503).json({
        error: {
          code: 'ERR_PROJECTOR_STANDBY',
          message: 'this projector stands by while another holds the writer lease: ask that one',
        },
      } satisfies ErrorView);
    },
    parkedRouter(live),
  );
  app.use(unknownRoute);
  app.use(errorHandler(deps.log));
  return app;
}

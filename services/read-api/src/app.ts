import express, { type Express } from 'express';
import type { Db } from 'mongodb';
import { createCommandStore } from '@cdp/commands';
import {
  errorHandler,
  opsRouter,
  requestMetrics,
  unknownRoute,
  type Metrics,
  type ReadinessCheck,
} from '@cdp/http';
import type { Logger } from '@cdp/logging';
import { createIdReader } from '@cdp/mongo';
import {
  defaultCollections,
  type CustomerDoc,
  type DeciderLag,
  type LogEnds,
  type OrderDoc,
  type ProductDoc,
  type ReadModelCollections,
} from '@cdp/read-models';
import { customerRoutes } from './customer-routes';
import { httpErrors } from './http-error';
import { openApiDocument } from './openapi';
import { opsConsoleRoutes } from './ops-console-routes';
import { orderRoutes } from './order-routes';
import { productRoutes } from './product-routes';
import { pushRoutes } from './push-routes';
import { createProjectionProgress } from './projection-lag';
import { reportRoutes } from './report-routes';
import { mountRoutes } from './route';
import { requireTenant } from './tenant-auth';

export interface ReadApiDeps {
  db: Db;
  log: Logger;
  metrics: Metrics;
  checks: ReadinessCheck[];
  /** Which read-model collections to serve (a rebuild switches to a suffixed copy). */
  collections?: ReadModelCollections;
  /** How long the lag lookup is reused across reads. */
  lagCacheMs?: number;
  /** Where Kafka's logs end: without it, lag counts only the events the projector has fetched. */
  logEnds?: LogEnds & { refresh?: () => Promise<void> };
  /** How long ingest's accepted records have waited to become events: without it, lag starts at the events. */
  deciderLag?: DeciderLag;
  /** Opens the ops console at `/ops`; without it the console is not served. */
  adminToken?: string;
}

export function createApp(deps: ReadApiDeps): Express {
  const names = deps.collections ?? defaultCollections;
  const orders = deps.db.collection<OrderDoc>(names.orders);
  const customers = deps.db.collection<CustomerDoc>(names.customers);
  const commands = createCommandStore(deps.db);
  const byId = createIdReader(deps.db);
  const routes = [
    ...customerRoutes(customers, orders, commands, byId),
    ...orderRoutes(orders, byId),
    ...productRoutes(deps.db.collection<ProductDoc>(names.products)),
    ...reportRoutes(orders),
    ...pushRoutes(customers, commands),
  ];
  const openApi = openApiDocument(
    routes.map((r) => r.spec),
    { opsConsole: deps.adminToken !== undefined },
  );

  const app = express();
  app.disable('x-powered-by');
  // Freshness is what X-Projection-Lag-Ms and X-Min-Position tell; hashing every answer for a
  // conditional GET no client makes cost about 7% of a read's CPU.
  app.set('etag', false);
  app.use(requestMetrics(deps.metrics));
  // Reads first: they are nearly all the traffic, and the ops routes' layers would be matched for each.
  app.use('/v1', requireTenant(deps.db));
  const v1 = express.Router();
  mountRoutes(
    v1,
    routes,
    createProjectionProgress(
      deps.db.collection(names.progress),
      deps.lagCacheMs,
      deps.logEnds,
      deps.deciderLag,
    ),
  );
  app.use(v1);
  app.use(opsRouter({ metrics: deps.metrics, checks: deps.checks }));
  app.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  if (deps.adminToken) app.use(opsConsoleRoutes(deps.db, deps.adminToken, deps.logEnds, deps.deciderLag));
  app.use(unknownRoute);
  app.use(httpErrors);
  app.use(errorHandler(deps.log));
  return app;
}

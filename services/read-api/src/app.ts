import express, { type Express, type Request, type Response } from 'express';
import type { Db } from 'mongodb';
import { errorHandler, opsRouter, type Metrics, type ReadinessCheck } from '@cdp/http';
import type { Logger } from '@cdp/logging';
import { orderView, type StoredOrder } from './order-view';
import { requireTenant, tenantOf } from './tenant-auth';

export interface ReadApiDeps {
  db: Db;
  log: Logger;
  metrics: Metrics;
  checks: ReadinessCheck[];
}

const notFound = (res: Response, what: string) =>
  res.status(404).json({ error: { code: 'ERR_NOT_FOUND', message: `${what} not found` } });

export function createApp(deps: ReadApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(opsRouter({ metrics: deps.metrics, checks: deps.checks }));
  const orders = deps.db.collection<StoredOrder>('orders');

  const v1 = express.Router();
  v1.use(requireTenant(deps.db));
  v1.get('/orders/:orderId', async (req: Request<{ orderId: string }>, res: Response) => {
    // Another tenant's id is simply absent from this tenant's key space: 404, never 403.
    const doc = await orders.findOne({ _id: `${tenantOf(res)}:${req.params.orderId}` });
    if (!doc) return notFound(res, 'order');
    return res.json(orderView(doc));
  });
  app.use('/v1', v1);
  app.use(errorHandler(deps.log));
  return app;
}

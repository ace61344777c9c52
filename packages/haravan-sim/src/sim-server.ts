import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { stringifyHaravan } from './haravan-json.js';
import { createLeakyBucket } from './leaky-bucket.js';
import { pageOf, parseListQuery, pickFields, selectRecords } from './list-query.js';
import { pushCustomer, pushCustomerUpdate, pushOrder, type PushResult } from './push-actions.js';
import { fieldErrors, pushCustomerSchema, pushOrderSchema } from './push-schemas.js';
import type { SimShop } from './sim-shop.js';
import type { ResourceKind } from './topics.js';

export interface SimServerOptions {
  port?: number;
  host?: string;
  /** Wall clock for the rate limiter (ms); injected by tests. */
  now?: () => number;
  /**
   * The org id `shop.json` answers, default the shop's: the shop served as a copy of it on another
   * org would be, so that tests can connect one shop to several tenants.
   */
  orgId?: number;
}

export interface SimServer {
  url: string;
  close(): Promise<void>;
}

const SINGULAR: Record<ResourceKind, string> = {
  orders: 'order',
  customers: 'customer',
  products: 'product',
};
const KINDS: readonly ResourceKind[] = ['orders', 'customers', 'products'];
const CALL_LIMIT_HEADER = 'X-Haravan-Api-Call-Limit';

function send(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json; charset=utf-8').send(stringifyHaravan(body));
}

function idParam(req: Request): number | undefined {
  const raw = req.params.id;
  return typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** Haravan's REST API for one shop, as an Express app. */
export function createSimApp(
  shop: SimShop,
  options: Pick<SimServerOptions, 'now' | 'orgId'> = {},
): express.Express {
  const bucket = createLeakyBucket({ ...shop.config.bucket, now: options.now ?? Date.now });
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  const authenticate: RequestHandler = (req, res, next) => {
    res.setHeader(CALL_LIMIT_HEADER, `${bucket.used()}/${shop.config.bucket.capacity}`);
    const header = req.get('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (token !== shop.config.accessToken) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      send(res, 401, {
        errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      });
      return;
    }
    next();
  };
  const limit: RequestHandler = (_req, res, next) => {
    const decision = bucket.take();
    res.setHeader(CALL_LIMIT_HEADER, `${decision.used}/${decision.capacity}`);
    if (!decision.allowed) {
      res.setHeader('Retry-After', decision.retryAfterSeconds.toFixed(1));
      send(res, 429, {
        errors: 'Exceeded API call limit. Reduce request rates to resume uninterrupted service.',
      });
      return;
    }
    next();
  };
  const requireJson: RequestHandler = (req, res, next) => {
    if (!req.is('application/json')) {
      send(res, 400, { errors: 'Content-Type must be application/json' });
      return;
    }
    next();
  };

  // Simulator-only introspection for demos and benchmarks; outside /com, so never rate limited.
  app.get('/_sim/ground-truth', (_req, res) => send(res, 200, shop.groundTruth()));
  app.get('/_sim/changes', (req, res) => {
    const since = Number(typeof req.query.since === 'string' ? req.query.since : 0) || 0;
    send(res, 200, { changes: shop.changes().slice(since) });
  });

  app.use('/com', authenticate, limit);

  app.get('/com/shop.json', (_req, res) => {
    send(res, 200, {
      shop: {
        id: options.orgId ?? shop.config.orgId,
        name: 'Cửa hàng mô phỏng',
        currency: 'VND',
        timezone: '(GMT+07:00) Hanoi',
        country_code: 'VN',
      },
    });
  });

  for (const kind of KINDS) {
    app.get(`/com/${kind}.json`, (req, res) => {
      const q = parseListQuery(req.query, kind === 'orders');
      const page = pageOf(selectRecords(shop.records(kind), q), q);
      send(res, 200, { [kind]: page.map((r) => pickFields(r.payload(), q.fields)) });
    });
    app.get(`/com/${kind}/count.json`, (req, res) => {
      send(res, 200, { count: selectRecords(shop.records(kind), parseListQuery(req.query)).length });
    });
    app.get(`/com/${kind}/:id.json`, (req, res) => {
      const id = idParam(req);
      const record = id === undefined ? undefined : shop.record(kind, id);
      if (!record) {
        send(res, 404, { errors: 'Not Found' });
        return;
      }
      send(res, 200, { [SINGULAR[kind]]: pickFields(record.payload(), parseListQuery(req.query).fields) });
    });
  }

  const json = express.json({ limit: '1mb' });
  const answer = <T>(
    res: Response,
    status: number,
    key: string,
    result: PushResult<T>,
    payload: (value: T) => unknown,
  ) => {
    if (result.ok) send(res, status, { [key]: payload(result.value) });
    else send(res, 422, { errors: result.errors });
  };

  app.post('/com/customers.json', requireJson, json, (req, res) => {
    const parsed = pushCustomerSchema.safeParse((req.body as { customer?: unknown } | undefined)?.customer);
    if (!parsed.success) {
      send(res, 422, { errors: fieldErrors(parsed.error, 'customer') });
      return;
    }
    answer(res, 201, 'customer', pushCustomer(shop, parsed.data), (c) => shop.payload('customers', c.id));
  });

  app.put('/com/customers/:id.json', requireJson, json, (req, res) => {
    const id = idParam(req);
    const parsed = pushCustomerSchema.safeParse((req.body as { customer?: unknown } | undefined)?.customer);
    if (!parsed.success) {
      send(res, 422, { errors: fieldErrors(parsed.error, 'customer') });
      return;
    }
    const result = id === undefined ? undefined : pushCustomerUpdate(shop, id, parsed.data);
    if (!result) {
      send(res, 404, { errors: 'Not Found' });
      return;
    }
    answer(res, 200, 'customer', result, (c) => shop.payload('customers', c.id));
  });

  app.post('/com/orders.json', requireJson, json, (req, res) => {
    const parsed = pushOrderSchema.safeParse((req.body as { order?: unknown } | undefined)?.order);
    if (!parsed.success) {
      send(res, 422, { errors: fieldErrors(parsed.error, 'order') });
      return;
    }
    answer(res, 201, 'order', pushOrder(shop, parsed.data), (o) => shop.payload('orders', o.id));
  });

  app.use('/com', (_req, res) => send(res, 404, { errors: 'Not Found' }));

  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    const status = (error as { status?: number }).status;
    if (status === 400 || status === 413)
      send(res, status, { errors: status === 413 ? 'Request too large' : 'Invalid JSON' });
    else send(res, 500, { errors: error instanceof Error ? error.message : 'Internal error' });
  };
  app.use(onError);
  return app;
}

export async function startSimServer(shop: SimShop, options: SimServerOptions = {}): Promise<SimServer> {
  const app = createSimApp(shop, options);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '@cdp/http';
import { createLogger } from '@cdp/logging';
import { listen, servedRoutes, type Listening } from '@cdp/testing';
import { createApp } from './app';
import { openApiPath } from '@cdp/http';

type Doc = {
  openapi: string;
  info: { description: string };
  paths: Record<
    string,
    Record<
      string,
      {
        parameters: { name: string; in: string }[];
        responses: Record<string, { headers?: Record<string, unknown> }>;
        security?: Record<string, unknown>[];
      }
    >
  >;
};

type Pattern = { pattern: string };
type OrderBody = {
  properties: { lineItems: { items: { properties: { price: Pattern } } }; shippingPrice: Pattern };
};

// Building the routes does not touch the store.
const db = { collection: () => ({}) } as unknown as Db;
const app = createApp({
  db,
  log: createLogger('test', 'silent'),
  metrics: createMetrics('test'),
  checks: [],
  adminToken: 'an-operator-token-for-tests',
});

describe('GET /openapi.json', () => {
  let server: Listening;
  let doc: Doc;

  beforeAll(async () => {
    server = await listen(app);
    const res = await fetch(`${server.url}/openapi.json`);
    doc = (await res.json()) as Doc;
  });
  afterAll(() => server.close());

  it('is an OpenAPI 3.1 document', () => {
    expect(doc.openapi).toBe('3.1.0');
  });

  it('says that a query parameter left empty is not given, as every route takes it', () => {
    expect(doc.info.description).toMatch(/query parameter left empty .* not given/);
  });

  it('describes every route the app serves, and nothing else', () => {
    const served = servedRoutes(app);
    expect(served).toContain('get /v1/customers/:customerId');
    expect(served).toContain('post /v1/orders');
    expect(served).toContain('get /readyz');
    expect(served).toContain('get /ops/status.json');
    for (const route of served) {
      const [method = '', path = ''] = route.split(' ');
      expect(doc.paths[openApiPath(path)]?.[method], route).toBeDefined();
    }
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual(
      served.map((r) => `${r.split(' ')[0]} ${openApiPath(r.split(' ')[1] ?? '')}`).sort(),
    );
  });

  it('documents a 400 on every route with a path parameter, which may not be valid percent-encoding', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (op.parameters?.some((p) => p.in === 'path'))
          expect(Object.keys(op.responses), `${method} ${path}`).toContain('400');
      }
    }
  });

  it('documents the WWW-Authenticate of the 401 on every route that takes the tenant API key', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (op.security?.some((s) => 'tenantApiKey' in s))
          expect(op.responses['401']?.headers, `${method} ${path}`).toHaveProperty('WWW-Authenticate');
      }
    }
  });

  it('documents a push command with its JSON body (optional for a customer push) and Idempotency-Key', () => {
    const push = doc.paths['/v1/customers/{customerId}/push-to-haravan']?.['post'] as unknown as {
      parameters: { name: string; in: string }[];
      requestBody: { required: boolean };
      responses: Record<string, unknown>;
    };
    expect(push.parameters.map((p) => `${p.in}:${p.name}`)).toEqual([
      'path:customerId',
      'header:Idempotency-Key',
    ]);
    expect(push.requestBody).toMatchObject({ required: false });
    expect(doc.paths['/v1/orders']?.['post']).toMatchObject({ requestBody: { required: true } });
    expect(Object.keys(push.responses)).toEqual(expect.arrayContaining(['202', '400', '415']));
  });

  it("documents an order's prices with a pattern that has no minus sign, as its body schema refuses one", () => {
    const body = doc.paths['/v1/orders']?.['post'] as unknown as {
      requestBody: { content: Record<string, { schema: OrderBody }> };
    };
    const order = body.requestBody.content['application/json']?.schema;
    for (const money of [
      order?.properties.lineItems.items.properties.price,
      order?.properties.shippingPrice,
    ]) {
      const pattern = new RegExp(money?.pattern ?? '');
      expect(pattern.test('500000.5')).toBe(true);
      expect(pattern.test('-500000')).toBe(false);
    }
  });

  it('documents path parameters, query parameters and read-your-writes on each route', () => {
    const params = doc.paths['/v1/customers/{customerId}/orders']?.get?.parameters.map(
      (p) => `${p.in}:${p.name}`,
    );
    expect(params).toEqual(
      expect.arrayContaining([
        'path:customerId',
        'query:limit',
        'query:cursor',
        'query:waitMs',
        'header:X-Min-Position',
      ]),
    );
  });
});

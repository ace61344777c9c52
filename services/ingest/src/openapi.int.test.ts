import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openApiPath } from '@cdp/http';
import { listen, servedRoutes, type Listening } from '@cdp/testing';
import { appWithFakes } from './app-fakes.test-helper';
import { freshCursor } from './polling/sync-cursor';
import { syncStatusOf } from './polling/sync-status';

interface Operation {
  parameters: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: z.core.JSONSchema.JSONSchema }> };
  responses: Record<
    string,
    {
      headers?: Record<string, unknown>;
      content?: Record<string, { schema: z.core.JSONSchema.JSONSchema }>;
    }
  >;
  security?: unknown[];
}
interface Doc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

// Building the routes touches no store, log or broker.
const app = appWithFakes();

/** The documented schema as a validator, read back from the served JSON. */
const validator = (schema: z.core.JSONSchema.JSONSchema | undefined) => {
  if (!schema) throw new Error('no schema documented');
  return z.fromJSONSchema(schema);
};

describe('GET /openapi.json', () => {
  let server: Listening;
  let status: number;
  let doc: Doc;

  beforeAll(async () => {
    server = await listen(app);
    // No Authorization header: the document is public.
    const res = await fetch(`${server.url}/openapi.json`);
    status = res.status;
    doc = (await res.json()) as Doc;
  });
  afterAll(() => server.close());

  it('is an OpenAPI 3.1 document served without a token', () => {
    expect(status).toBe(200);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('describes every route the app serves, and nothing else', () => {
    const served = servedRoutes(app).map(openApiPath);
    expect(served).toEqual(
      expect.arrayContaining([
        'post /haravan/webhook',
        'get /admin/tenants/{tenantId}',
        'get /readyz',
        'get /openapi.json',
      ]),
    );
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual(served.sort());
  });

  it('puts the admin routes and the metrics, and only them, behind the admin bearer token, whose 401 says how to give it', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.security, `${method} ${path}`).toEqual(
          path.startsWith('/admin/') || path === '/metrics' ? [{ adminToken: [] }] : undefined,
        );
        if (op.security)
          expect(op.responses['401']?.headers, `${method} ${path}`).toHaveProperty('WWW-Authenticate');
      }
    }
  });

  it('documents a 400 on every route with a path parameter, which may not be valid percent-encoding', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (op.parameters.some((p) => p.in === 'path'))
          expect(Object.keys(op.responses), `${method} ${path}`).toContain('400');
      }
    }
  });

  it("documents the webhook's Haravan headers and every answer the contract names", () => {
    const webhook = doc.paths['/haravan/webhook']?.['post'];
    expect(webhook?.parameters.filter((p) => p.in === 'header' && p.required).map((p) => p.name)).toEqual([
      'X-Haravan-Topic',
      'X-Haravan-Org-Id',
      'X-Haravan-Hmacsha256',
    ]);
    expect(Object.keys(webhook?.responses ?? {})).toEqual([
      '200',
      '202',
      '400',
      '401',
      '404',
      '413',
      '415',
      '503',
    ]);
  });

  it('accepts a valid tenant-creation body by its request schema, and refuses an invalid one', () => {
    const body = validator(
      doc.paths['/admin/tenants']?.['post']?.requestBody?.content['application/json']?.schema,
    );
    const valid = {
      tenantId: 'shop-a',
      haravanOrgId: 200001220496,
      haravanAccessToken: 'token',
      haravanWebhookSecret: 'secret',
      haravanApiBaseUrl: 'http://127.0.0.1:4010',
    };
    expect(body.safeParse(valid).success).toBe(true);
    expect(body.safeParse({ ...valid, haravanOrgId: '200001220496' }).success).toBe(true);
    expect(body.safeParse({ ...valid, tenantId: 'Shop A' }).success).toBe(false);
    expect(body.safeParse({ ...valid, haravanWebhookSecret: undefined }).success).toBe(false);
    expect(body.safeParse({ ...valid, apiKey: 'k' }).success).toBe(false);
  });

  it('describes the tenant status as the code builds it, lag included', () => {
    const statusSchema = validator(
      doc.paths['/admin/tenants/{tenantId}']?.['get']?.responses['200']?.content?.['application/json']
        ?.schema,
    );
    const nowMs = Date.parse('2025-06-01T10:00:00Z');
    const polled = { ...freshCursor('shop-a', 'orders', nowMs - 90_000), lastPollStartedAtMs: nowMs - 5_000 };
    const sync = syncStatusOf({
      stored: [polled],
      live: null,
      pollingBy: 'nobody',
      pushes: { pending: 0, succeeded: 1, failed: 0, oldestPendingAt: null },
      projectionLagMs: 1_500,
      deciderLagMs: 0,
      nowMs,
    });
    const tenant = {
      tenantId: 'shop-a',
      haravanOrgId: '200001220496',
      haravanApiBaseUrl: 'http://127.0.0.1:4010',
      revenuePolicy: 'as-written',
      createdAt: new Date(nowMs).toISOString(),
      connection: {
        apiCredentialsSetAt: new Date(nowMs).toISOString(),
        uninstalledAt: null,
        credentialsRefusedAt: null,
        previousWebhookSecrets: 0,
      },
      sync: {
        ...sync,
        webhooks: { accepted: 3, rejected: { ERR_WEBHOOK_BAD_SIGNATURE: 1 }, lastReceivedAt: null },
      },
    };
    expect(statusSchema.safeParse(tenant).error).toBeUndefined();
    expect(statusSchema.safeParse({ ...tenant, sync: { ...tenant.sync, lag: undefined } }).success).toBe(
      false,
    );
  });
});

import { z } from 'zod';
import {
  bearerChallengeHeader,
  errorViewSchema,
  healthSchema,
  jsonSchema,
  openApiParameter,
  openApiPath,
  readinessSchema,
} from '@cdp/http';
import {
  apiKeyIssuedSchema,
  apiKeyListSchema,
  apiKeyPath,
  createTenantBody,
  tenantPath,
  tenantChangesBody,
  tenantSettingsSchema,
  tenantStatusSchema,
} from './tenants/tenant-schemas';
import {
  handshakeQuery,
  webhookAcceptedSchema,
  webhookBody,
  webhookHeaders,
  webhookKeptRawSchema,
} from './webhook/webhook-schemas';

interface Answer {
  description: string;
  schema?: z.ZodType;
  /** Media type of `schema`; JSON unless said. */
  type?: string;
  /** Response headers, as OpenAPI header objects. */
  headers?: Record<string, unknown>;
}

/** One route as documented: its inputs and answers by status, from the schemas the route uses. */
interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express path, e.g. `/admin/tenants/:tenantId`. */
  path: string;
  summary: string;
  admin?: true;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, Answer>;
}

const error = (description: string): Answer => ({ description, schema: errorViewSchema });
const adminUnauthorized = { ...error('no valid admin bearer token'), headers: bearerChallengeHeader };
const noTenant = error('no such tenant');
const badPath = error('a path parameter is not valid percent-encoding');
const notJson = error('a body whose Content-Type is not application/json');

function operations(webhookBodyLimit: string): Operation[] {
  return [
    {
      method: 'post',
      path: '/haravan/webhook',
      summary: "Haravan's webhook delivery",
      headers: webhookHeaders,
      body: webhookBody,
      responses: {
        200: {
          description:
            'durably in Kafka (acks=all); a test delivery (X-Haravan-Test) is kept in the raw log only, with a note',
          schema: z.union([webhookAcceptedSchema, webhookKeptRawSchema]),
        },
        202: {
          description: 'well signed, but an unknown topic: kept in the raw log only',
          schema: webhookKeptRawSchema,
        },
        400: error('a Haravan header missing, or the body not JSON or not the shape of its topic'),
        401: error('signature missing or not matching the body'),
        404: error('no tenant for X-Haravan-Org-Id'),
        413: error(`body larger than ${webhookBodyLimit}`),
        415: error('Content-Type is not application/json'),
        503: error('Kafka cannot take the delivery right now; Haravan retries'),
      },
    },
    {
      method: 'get',
      path: '/haravan/webhook',
      summary: "Haravan's subscription verification handshake",
      query: handshakeQuery,
      responses: {
        200: { description: 'hub.challenge', schema: z.string(), type: 'text/plain' },
        400: error('hub.mode=subscribe, hub.verify_token or hub.challenge missing'),
        401: error("hub.verify_token is no tenant's"),
      },
    },
    {
      method: 'post',
      path: '/admin/tenants',
      summary: "Connect a shop: starts the tenant's backfill and polling",
      admin: true,
      body: createTenantBody,
      responses: {
        201: { description: 'the tenant and its first read API key', schema: apiKeyIssuedSchema },
        400: error('the body is not JSON or not a valid tenant'),
        401: adminUnauthorized,
        409: error('the tenant id exists, or the org id or the verify token belongs to another tenant'),
        415: notJson,
      },
    },
    {
      method: 'get',
      path: '/admin/tenants/:tenantId',
      summary: 'Connection and sync status (never secrets)',
      admin: true,
      params: tenantPath,
      responses: {
        200: { description: 'OK', schema: tenantStatusSchema },
        400: badPath,
        401: adminUnauthorized,
        404: noTenant,
      },
    },
    {
      method: 'patch',
      path: '/admin/tenants/:tenantId',
      summary: "Change the tenant's revenue policy or rotate its Haravan credentials",
      admin: true,
      params: tenantPath,
      body: tenantChangesBody,
      responses: {
        200: { description: 'the settings now in force (never secrets)', schema: tenantSettingsSchema },
        400: error('the body is not JSON or not valid settings, or the path is not valid percent-encoding'),
        401: adminUnauthorized,
        404: noTenant,
        409: error('the verify token belongs to another tenant'),
        415: notJson,
      },
    },
    {
      method: 'post',
      path: '/admin/tenants/:tenantId/api-keys',
      summary: 'Issue another read API key',
      admin: true,
      params: tenantPath,
      responses: {
        201: { description: 'the new key', schema: apiKeyIssuedSchema },
        400: badPath,
        401: adminUnauthorized,
        404: noTenant,
      },
    },
    {
      method: 'get',
      path: '/admin/tenants/:tenantId/api-keys',
      summary: "List a tenant's read API keys (their ids, never the keys)",
      admin: true,
      params: tenantPath,
      responses: {
        200: { description: "the tenant's keys", schema: apiKeyListSchema },
        400: badPath,
        401: adminUnauthorized,
        404: noTenant,
      },
    },
    {
      method: 'delete',
      path: '/admin/tenants/:tenantId/api-keys/:keyId',
      summary: 'Revoke a read API key, named by its id',
      admin: true,
      params: apiKeyPath,
      responses: {
        204: { description: 'revoked' },
        400: error('the path is not valid percent-encoding, or names no key id (a key itself is refused)'),
        401: adminUnauthorized,
        404: error('no such active key'),
      },
    },
    {
      method: 'get',
      path: '/healthz',
      summary: 'The process is up',
      responses: { 200: { description: 'OK', schema: healthSchema } },
    },
    {
      method: 'get',
      path: '/readyz',
      summary: 'Every dependency answers',
      responses: {
        200: { description: 'ready', schema: readinessSchema },
        503: { description: 'a dependency does not answer', schema: readinessSchema },
      },
    },
    {
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics (ADMIN_TOKEN or METRICS_TOKEN: the series name tenants)',
      admin: true,
      responses: {
        200: { description: 'OK', schema: z.string(), type: 'text/plain; version=0.0.4' },
        401: adminUnauthorized,
      },
    },
    {
      method: 'get',
      path: '/openapi.json',
      summary: 'This document',
      responses: { 200: { description: 'OpenAPI 3.1', schema: z.looseObject({}) } },
    },
  ];
}

const parameters = (where: 'path' | 'query' | 'header', object: z.ZodObject | undefined) =>
  Object.entries(object?.shape ?? {}).map(([name, s]) => openApiParameter(name, where, s as z.ZodType));

const responses = (answers: Record<number, Answer>) =>
  Object.fromEntries(
    Object.entries(answers).map(([status, { description, schema, type = 'application/json', headers }]) => [
      status,
      {
        description,
        ...(headers ? { headers } : {}),
        ...(schema ? { content: { [type]: { schema: jsonSchema(schema, 'output') } } } : {}),
      },
    ]),
  );

/** The OpenAPI 3.1 document of the ingest service, built from the schemas its routes use. */
export function openApiDocument(opts: { webhookBodyLimit: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations(opts.webhookBodyLimit)) {
    const path = openApiPath(op.path);
    paths[path] = {
      ...paths[path],
      [op.method]: {
        summary: op.summary,
        ...(op.admin ? { security: [{ adminToken: [] }] } : {}),
        parameters: [
          ...parameters('path', op.params),
          ...parameters('query', op.query),
          ...parameters('header', op.headers),
        ],
        ...(op.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: jsonSchema(op.body, 'input') } },
              },
            }
          : {}),
        responses: responses(op.responses),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'CDP ingest',
      version: '1',
      description: "Haravan's webhook ingress and the administration of tenants. Times are ISO-8601.",
    },
    components: {
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } },
    },
    paths,
  };
}

import type { z } from 'zod';
import {
  bearerChallengeHeader,
  errorViewSchema,
  jsonSchema,
  openApiParameter,
  openApiPath,
  opsOpenApiPaths,
} from '@cdp/http';
import {
  LAG_HEADER,
  MIN_POSITION_HEADER,
  STALE_HEADER,
  minPositionHeader,
  readYourWritesQuery,
} from './projection-lag';
import { IDEMPOTENCY_HEADER, idempotencyKey, type RouteSpec } from './route';

const json = (schema: z.ZodType) => ({ 'application/json': { schema: jsonSchema(schema, 'output') } });

const error = (description: string) => ({ description, content: json(errorViewSchema) });

const noTenantKey = { ...error('no valid tenant API key'), headers: bearerChallengeHeader };

const readHeaders = (spec: RouteSpec) => ({
  [LAG_HEADER]: {
    description:
      spec.readsFrom && spec.readsFrom.length > 0
        ? `how far this route's read model trails the newest ${spec.readsFrom.join(' or ')} event, in ms`
        : 'always 0: this route reads no projection',
    schema: { type: 'integer' },
  },
  [STALE_HEADER]: {
    description: 'present (true) when a requested wait timed out: the answer may miss that write',
    schema: { type: 'string', enum: ['true'] },
  },
});

const pathParameters = (spec: RouteSpec) =>
  Object.entries(spec.params.shape).map(([name, s]) => openApiParameter(name, 'path', s as z.ZodType));

const read = (spec: RouteSpec) => ({
  parameters: [
    ...pathParameters(spec),
    ...Object.entries({ ...spec.query.shape, ...readYourWritesQuery }).map(([name, s]) =>
      openApiParameter(name, 'query', s as z.ZodType),
    ),
    openApiParameter(MIN_POSITION_HEADER, 'header', minPositionHeader),
  ],
  responses: {
    200: { description: 'OK', headers: readHeaders(spec), content: json(spec.response) },
    400: error('a parameter is invalid'),
    401: noTenantKey,
    404: error("not found (another tenant's ids too)"),
  },
});

const command = (spec: RouteSpec) => ({
  parameters: [...pathParameters(spec), openApiParameter(IDEMPOTENCY_HEADER, 'header', idempotencyKey)],
  ...(spec.body
    ? {
        requestBody: {
          // A push's body is optional (its schema takes none as no edits).
          required: !spec.body.safeParse(undefined).success,
          content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } },
        },
      }
    : {}),
  responses: {
    202: { description: 'Accepted: the command is queued for the shop', content: json(spec.response) },
    400: error('the body or a parameter is invalid'),
    401: noTenantKey,
    404: error("not found (another tenant's ids too)"),
    409: error('the record cannot be pushed in its current state'),
    415: error('a body whose Content-Type is not application/json'),
    422: error(`${IDEMPOTENCY_HEADER} given before with a different request`),
  },
});

/** The operator's console, served when an admin token is configured. */
const opsConsolePaths = () => {
  const operator = { security: [{ adminToken: [] }, { adminBasic: [] }] };
  const unauthorized = error('no valid admin token (Bearer, or the password of HTTP Basic)');
  return {
    '/ops': {
      get: {
        summary: "The operator's console: sync, webhooks, commands and projection per tenant",
        ...operator,
        responses: { 200: { description: 'an HTML page', content: { 'text/html': {} } }, 401: unauthorized },
      },
    },
    '/ops/status.json': {
      get: {
        summary: "The console's data as JSON",
        ...operator,
        responses: { 200: { description: 'OK', content: { 'application/json': {} } }, 401: unauthorized },
      },
    },
  };
};

/** The OpenAPI 3.1 document of the read API, built from the schemas the routes validate and answer with. */
export function openApiDocument(specs: readonly RouteSpec[], opts: { opsConsole: boolean }) {
  const paths: Record<string, Record<string, unknown>> = {
    ...opsOpenApiPaths(),
    '/openapi.json': {
      get: {
        summary: 'This document',
        responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': {} } } },
      },
    },
    ...(opts.opsConsole ? opsConsolePaths() : {}),
  };
  for (const spec of specs) {
    paths[openApiPath(spec.path)] = {
      ...paths[openApiPath(spec.path)],
      [spec.method]: {
        summary: spec.summary,
        ...(spec.description ? { description: spec.description } : {}),
        security: [{ tenantApiKey: [] }],
        ...(spec.method === 'get' ? read(spec) : command(spec)),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'CDP read API',
      version: '1',
      description:
        'Read models of the Haravan sync. Money is a decimal string; times are ISO-8601 with offset. ' +
        'A query parameter left empty (`?status=&cursor=`) is taken as not given.',
    },
    components: {
      securitySchemes: {
        tenantApiKey: { type: 'http', scheme: 'bearer' },
        ...(opts.opsConsole && {
          adminToken: { type: 'http', scheme: 'bearer' },
          adminBasic: { type: 'http', scheme: 'basic' },
        }),
      },
    },
    paths,
  };
}

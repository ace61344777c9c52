import { createHash } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { jsonBody } from '@cdp/http';
import { parseOrThrow } from './http-error';
import type { ProjectedStream, RevenuePolicy } from '@cdp/read-models';
import { projectionLag, readYourWritesQuery, type ProjectionProgress } from './projection-lag';
import { parseQuery, refuseUnknownParams } from './query-params';
import { tenantOf, type TenantContext } from './tenant-auth';

/** What the router serves and the OpenAPI document describes, from the same zod schemas. */
export interface RouteSpec {
  method: 'get' | 'post';
  /** Express path, e.g. `/v1/customers/:customerId`. */
  path: string;
  summary: string;
  description?: string;
  params: z.ZodObject;
  query: z.ZodObject;
  /** POST only: the JSON body. */
  body?: z.ZodType;
  /** GET only: the event streams its read model is projected from, whose lag it reports and waits for. */
  readsFrom?: readonly ProjectedStream[];
  response: z.ZodType;
}

export interface Route {
  spec: RouteSpec;
  handle: (req: Request, res: Response) => Promise<void>;
}

export interface RouteInput<P extends z.ZodObject, Q extends z.ZodObject> {
  tenantId: string;
  /** The tenant's revenue policy: which of the stored per-policy figures this tenant sees. */
  revenuePolicy: RevenuePolicy;
  /** Why nothing can be pushed to the shop now, or null. */
  pushBlocked: TenantContext['pushBlocked'];
  params: z.output<P>;
  query: z.output<Q>;
}

/**
 * A GET route whose params and query are validated by the spec's schemas and whose answer is
 * typed by its response schema, so the code cannot return what the document does not describe.
 */
export function getRoute<P extends z.ZodObject, Q extends z.ZodObject, R extends z.ZodType>(
  spec: {
    path: string;
    summary: string;
    description?: string;
    readsFrom: readonly ProjectedStream[];
    params: P;
    query: Q;
    response: R;
  },
  handler: (input: RouteInput<P, Q>) => Promise<z.output<R>>,
): Route {
  return {
    spec: { ...spec, method: 'get' },
    async handle(req, res) {
      const params = parseOrThrow(spec.params, req.params, 'params');
      const query = parseQuery(spec.query, req.query);
      res.json(await handler({ ...tenantOf(res), params, query }));
    },
  };
}

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const idempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .optional()
  .describe(
    'the same key within a tenant gives back the same command instead of pushing twice; with another request, 422',
  );

/** A client's `Idempotency-Key`, and a digest of the request it came with (params and body as parsed). */
export interface Idempotency {
  key: string;
  fingerprint: string;
}

/** A POST that accepts a command: the JSON body is validated like params and query, and answered 202. */
export function postRoute<P extends z.ZodObject, B extends z.ZodType, R extends z.ZodType>(
  spec: { path: string; summary: string; description?: string; params: P; body: B; response: R },
  handler: (
    input: RouteInput<P, z.ZodObject> & { body: z.output<B>; idempotency: Idempotency | undefined },
  ) => Promise<z.output<R>>,
): Route {
  const query = z.object({});
  return {
    spec: { ...spec, query, method: 'post' },
    async handle(req, res) {
      const params = parseOrThrow(spec.params, req.params, 'params');
      const body = parseOrThrow(spec.body, req.body, 'body');
      const key = parseOrThrow(idempotencyKey, req.get(IDEMPOTENCY_HEADER), IDEMPOTENCY_HEADER);
      // Parsed, the params and body have their schemas' key order: the same request digests the same.
      const idempotency =
        key === undefined
          ? undefined
          : {
              key,
              fingerprint: createHash('sha256')
                .update(JSON.stringify([params, body]))
                .digest('base64url'),
            };
      res.status(202).json(await handler({ ...tenantOf(res), params, query: {}, body, idempotency }));
    },
  };
}

const commandBody = jsonBody('256kb');

/** Mounts the routes; each read first reports (and on request waits for) the lag of its own read model. */
export function mountRoutes(router: Router, routes: readonly Route[], progress: ProjectionProgress): void {
  for (const route of routes) {
    if (route.spec.method === 'get')
      router.get(
        route.spec.path,
        refuseUnknownParams([...Object.keys(route.spec.query.shape), ...Object.keys(readYourWritesQuery)]),
        projectionLag(progress, route.spec.readsFrom ?? []),
        route.handle,
      );
    else router.post(route.spec.path, commandBody, route.handle);
  }
}

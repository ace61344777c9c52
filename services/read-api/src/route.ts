import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import { parseOrThrow } from './http-error';
import type { RevenuePolicy } from '@cdp/read-models';
import { tenantOf } from './tenant-auth';

/** What the router serves and the OpenAPI document describes, from the same zod schemas. */
export interface RouteSpec {
  /** Express path, e.g. `/v1/customers/:customerId`. */
  path: string;
  summary: string;
  description?: string;
  params: z.ZodObject;
  query: z.ZodObject;
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
  params: z.output<P>;
  query: z.output<Q>;
}

/**
 * A GET route whose params and query are validated by the spec's schemas and whose answer is
 * typed by its response schema, so the code cannot return what the document does not describe.
 */
export function getRoute<P extends z.ZodObject, Q extends z.ZodObject, R extends z.ZodType>(
  spec: { path: string; summary: string; description?: string; params: P; query: Q; response: R },
  handler: (input: RouteInput<P, Q>) => Promise<z.output<R>>,
): Route {
  return {
    spec,
    async handle(req, res) {
      const params = parseOrThrow(spec.params, req.params, 'params');
      const query = parseOrThrow(spec.query, req.query, 'query');
      res.json(await handler({ ...tenantOf(res), params, query }));
    },
  };
}

export function mountRoutes(router: Router, routes: readonly Route[]): void {
  for (const route of routes) router.get(route.spec.path, route.handle);
}

import { z } from 'zod';
import { jsonSchema } from './openapi-parts';

/** What `opsRouter`'s routes answer, for the services' OpenAPI documents. */
export const healthSchema = z.strictObject({ status: z.literal('ok') });
export const readinessSchema = z.strictObject({
  status: z.enum(['ready', 'not ready']),
  checks: z.array(z.strictObject({ name: z.string(), ok: z.boolean() })),
});

const json = (schema: z.ZodType) => ({ 'application/json': { schema: jsonSchema(schema, 'output') } });

/** `opsRouter`'s routes as OpenAPI 3.1 path items. */
export const opsOpenApiPaths = () => ({
  '/healthz': {
    get: {
      summary: 'The process is up',
      responses: { 200: { description: 'OK', content: json(healthSchema) } },
    },
  },
  '/readyz': {
    get: {
      summary: 'Every dependency answers',
      responses: {
        200: { description: 'ready', content: json(readinessSchema) },
        503: { description: 'a dependency does not answer', content: json(readinessSchema) },
      },
    },
  },
  '/metrics': {
    get: {
      summary: 'Prometheus metrics',
      responses: {
        200: {
          description: 'OK',
          content: { 'text/plain; version=0.0.4': { schema: jsonSchema(z.string(), 'output') } },
        },
      },
    },
  },
});

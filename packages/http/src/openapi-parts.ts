import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/** A zod schema as OpenAPI 3.1's JSON Schema: what a client sends (`input`) or is answered (`output`). */
export const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return rest;
};

/** One OpenAPI parameter; required when the schema does not accept its absence. */
export const openApiParameter = (name: string, where: 'path' | 'query' | 'header', schema: z.ZodType) => ({
  name,
  in: where,
  required: where === 'path' || !schema.safeParse(undefined).success,
  ...(schema.description ? { description: schema.description } : {}),
  schema: jsonSchema(schema, 'input'),
});

/** `/v1/customers/:customerId` → `/v1/customers/{customerId}` */
export const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

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

/** What a bearer route's 401 carries (`bearerChallenge`), as an OpenAPI response header. */
export const bearerChallengeHeader = {
  'WWW-Authenticate': {
    description:
      'Bearer realm="…", with error="invalid_token" when the token presented is not valid (RFC 6750)',
    schema: { type: 'string' },
  },
};

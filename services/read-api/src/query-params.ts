import type { z } from 'zod';
import { parseOrThrow } from './http-error';

/**
 * A query parsed by `schema`. Express's simple query parser keeps `email[$regex]=x` as a key of its
 * own, which the schema would drop, answering as if the filter were not given: a parameter of the
 * schema written with brackets is handed to it as the object it spells, which it refuses, as it
 * refuses a repeated one (an array).
 */
export function parseQuery<S extends z.ZodObject>(schema: S, query: Record<string, unknown>): z.output<S> {
  const bracketed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    const open = key.indexOf('[');
    const name = key.slice(0, open);
    if (open > 0 && Object.hasOwn(schema.shape, name)) bracketed[name] = { [key.slice(open)]: value };
  }
  return parseOrThrow(schema, { ...query, ...bracketed }, 'query');
}

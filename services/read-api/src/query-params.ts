import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { badRequest, parseOrThrow } from './http-error';

/**
 * Parameters that pick records by an exact value (`phone`, `sku`), registered by `exactLookup`:
 * given empty they are refused, not dropped, or `?phone=${p}` with `p` empty would answer every
 * customer to a client resolving an identity.
 */
const exactLookups = z.registry();

export function exactLookup<S extends z.ZodType>(schema: S): S {
  exactLookups.add(schema, {});
  return schema;
}

/**
 * A query parsed by `schema`. An empty parameter is not given, but for an exact lookup: the contract
 * writes filters as `?status=&store=`, and a first page's `cursor=` is the null `nextCursor` it has not had yet.
 * Express's simple query parser keeps `email[$regex]=x` as a key of its own, which the schema would
 * drop, answering as if the filter were not given: a parameter of the schema written with brackets
 * is handed to it as the object it spells, which it refuses, as it refuses a repeated one (an array).
 */
export function parseQuery<S extends z.ZodObject>(schema: S, query: Record<string, unknown>): z.output<S> {
  const given = Object.fromEntries(
    Object.entries(query).filter(
      ([key, value]) =>
        value !== '' ||
        (Object.hasOwn(schema.shape, key) && exactLookups.has(schema.shape[key] as z.ZodType)),
    ),
  );
  const bracketed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    const open = key.indexOf('[');
    const name = key.slice(0, open);
    if (open > 0 && Object.hasOwn(schema.shape, name)) bracketed[name] = { [key.slice(open)]: value };
  }
  return parseOrThrow(schema, { ...given, ...bracketed }, 'query');
}

/**
 * Refuses a query parameter not in `known`: a misspelt filter (`customerID=`) would otherwise be
 * dropped, and the answer be the unfiltered list.
 */
export function refuseUnknownParams(known: readonly string[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const unknown = Object.keys(req.query).find((key) => !known.includes(key.split('[')[0] ?? ''));
    if (unknown !== undefined)
      throw badRequest(
        `query.${unknown}: not a parameter of this route (it takes ${known.join(', ') || 'none'})`,
      );
    next();
  };
}

import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';

/** Thrown by handlers and parsers; answered as JSON by `httpErrors`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'ERR_NOT_FOUND', `${what} not found`);

export const badRequest = (message: string) => new HttpError(400, 'ERR_BAD_REQUEST', message);

/** Parses one part of a request, turning zod's issues into a single readable 400. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const message = result.error.issues
    .map((issue) => `${[where, ...issue.path].join('.')}: ${issue.message}`)
    .join('; ');
  throw badRequest(message);
}

/** Answers `HttpError`s; anything else goes on to the shared 500 handler. */
export function httpErrors(error: unknown, _req: Request, res: Response, next: NextFunction) {
  if (!(error instanceof HttpError)) return next(error);
  return res.status(error.status).json({ error: { code: error.code, message: error.message } });
}

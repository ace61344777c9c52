import { STATUS_CODES } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '@cdp/logging';
import type { ErrorView } from './error-view';

interface ClientError {
  status: number;
  code: string;
  message: string;
}

/**
 * What the request got wrong, as express's router and body-parser report it: an error carrying a
 * 4xx `status` (or `statusCode`). Null for anything else, which is the server's own failure.
 */
function clientError(error: unknown): ClientError | null {
  if (typeof error !== 'object' || error === null) return null;
  const { status, statusCode, type, expose, message } = error as Record<string, unknown>;
  const given = status ?? statusCode;
  if (typeof given !== 'number' || given < 400 || given > 499) return null;
  if (type === 'entity.too.large') {
    return { status: 413, code: 'ERR_BODY_TOO_LARGE', message: 'request body too large' };
  }
  if (type === 'entity.parse.failed') {
    return { status: 400, code: 'ERR_BAD_JSON', message: 'body is not valid JSON' };
  }
  // The router could not decode a path parameter (`/v1/orders/%ZZ`).
  if (error instanceof URIError) {
    return { status: 400, code: 'ERR_BAD_PATH', message: 'the path is not valid percent-encoding' };
  }
  // http-errors' `expose` marks a message meant for the client (body-parser's unsupported charset, say).
  const told = expose === true && typeof message === 'string' ? message : STATUS_CODES[given];
  return { status: given, code: 'ERR_BAD_REQUEST', message: told ?? 'bad request' };
}

/** Answers the request's own faults with their 4xx and hides everything else behind a logged 500. */
export function errorHandler(log: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const fault = clientError(error);
    if (fault) {
      return res
        .status(fault.status)
        .json({ error: { code: fault.code, message: fault.message } } satisfies ErrorView);
    }
    // The route's pattern, not the path: ids in a path can name a person (a receiver's id encodes a phone).
    const route = (req.route as { path?: unknown } | undefined)?.path;
    log.error(
      {
        err: error,
        route: typeof route === 'string' ? `${req.baseUrl}${route}` : 'unmatched',
        method: req.method,
      },
      'unhandled request error',
    );
    return res
      .status(500)
      .json({ error: { code: 'ERR_INTERNAL', message: 'internal error' } } satisfies ErrorView);
  };
}

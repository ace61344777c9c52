import express, { type NextFunction, type Request, type Response } from 'express';
import type { ErrorView } from './error-view';

/** `Content-Length: 0` is what clients send on a POST without a body: it carries none. */
const carriesBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

/**
 * `express.json`, except that a body of another type is refused with 415 `ERR_NOT_JSON`:
 * `express.json` skips it, and the route then read no body at all (a text/plain push went out
 * without its fields). A request without a body passes, for routes whose body is optional.
 */
export function jsonBody(limit: string) {
  const parse = express.json({ limit });
  return (req: Request, res: Response, next: NextFunction) => {
    if (carriesBody(req) && !req.is('application/json'))
      return res.status(415).json({
        error: { code: 'ERR_NOT_JSON', message: 'Content-Type must be application/json' },
      } satisfies ErrorView);
    return parse(req, res, next);
  };
}

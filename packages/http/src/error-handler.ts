import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '@cdp/logging';

/** Maps body-parser's failures to the contract's codes and hides everything else behind a 500. */
export function errorHandler(log: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.too.large') {
      return res
        .status(413)
        .json({ error: { code: 'ERR_BODY_TOO_LARGE', message: 'request body too large' } });
    }
    if (type === 'entity.parse.failed') {
      return res.status(400).json({ error: { code: 'ERR_BAD_JSON', message: 'body is not valid JSON' } });
    }
    log.error({ err: error, path: req.path }, 'unhandled request error');
    return res.status(500).json({ error: { code: 'ERR_INTERNAL', message: 'internal error' } });
  };
}

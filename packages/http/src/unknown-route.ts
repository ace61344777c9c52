import type { Request, Response } from 'express';
import type { ErrorView } from './error-view';

/** Unknown paths and methods answer in the same JSON shape as every other error, not express's HTML page. */
export function unknownRoute(req: Request, res: Response) {
  res.status(404).json({
    error: { code: 'ERR_NOT_FOUND', message: `no route ${req.method} ${req.path}` },
  } satisfies ErrorView);
}

import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { bearerChallenge } from './bearer-challenge';
import { bearerToken } from './bearer-token';

export function requireAdmin(token: string) {
  const expected = Buffer.from(token);
  return (req: Request, res: Response, next: NextFunction) => {
    const presented = bearerToken(req.get('authorization'));
    const given = Buffer.from(presented ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    return res
      .status(401)
      .set('WWW-Authenticate', bearerChallenge('cdp admin', presented !== null))
      .json({ error: { code: 'ERR_ADMIN_UNAUTHORIZED', message: 'admin bearer token required' } });
  };
}

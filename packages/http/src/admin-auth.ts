import type { NextFunction, Request, Response } from 'express';
import { bearerChallenge } from './bearer-challenge';
import { bearerToken } from './bearer-token';
import { secretMatcher } from './secret-matcher';

export function requireAdmin(token: string) {
  const isAdmin = secretMatcher(token);
  return (req: Request, res: Response, next: NextFunction) => {
    const presented = bearerToken(req.get('authorization'));
    if (isAdmin(presented)) return next();
    return res
      .status(401)
      .set('WWW-Authenticate', bearerChallenge('cdp admin', presented !== null))
      .json({ error: { code: 'ERR_ADMIN_UNAUTHORIZED', message: 'admin bearer token required' } });
  };
}

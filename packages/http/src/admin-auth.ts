import type { NextFunction, Request, Response } from 'express';
import { bearerChallenge } from './bearer-challenge';
import { bearerToken } from './bearer-token';
import { secretMatcher } from './secret-matcher';

/**
 * The admin bearer token, or any of `alsoAccepted` (a narrower one for a route that only reads, such
 * as the metrics scraper's, which need not hold the token that administers tenants).
 */
export function requireAdmin(token: string, ...alsoAccepted: string[]) {
  const matchers = [token, ...alsoAccepted].map(secretMatcher);
  return (req: Request, res: Response, next: NextFunction) => {
    const presented = bearerToken(req.get('authorization'));
    if (matchers.some((matches) => matches(presented))) return next();
    return res
      .status(401)
      .set('WWW-Authenticate', bearerChallenge('cdp admin', presented !== null))
      .json({ error: { code: 'ERR_ADMIN_UNAUTHORIZED', message: 'admin bearer token required' } });
  };
}

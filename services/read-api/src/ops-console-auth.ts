import type { NextFunction, Request, Response } from 'express';
import { bearerToken, secretMatcher } from '@cdp/http';

/** The token from `Bearer <token>`, or the password of HTTP Basic (the user name is ignored). */
function presentedToken(header: string): string | null {
  const bearer = bearerToken(header);
  if (bearer !== null) return bearer;
  const credentials = /^basic +(\S+)$/i.exec(header)?.[1];
  if (credentials === undefined) return null;
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? null : decoded.slice(colon + 1);
}

/**
 * The operator's `ADMIN_TOKEN`, as ingest's admin routes take it, or as the password of HTTP Basic
 * so that a browser can open the console (its 401 makes the browser ask for it).
 */
export function requireOperator(token: string) {
  const isOperator = secretMatcher(token);
  return (req: Request, res: Response, next: NextFunction) => {
    if (isOperator(presentedToken(req.get('authorization') ?? ''))) return next();
    return res
      .status(401)
      .set('WWW-Authenticate', 'Basic realm="cdp ops"')
      .json({
        error: {
          code: 'ERR_ADMIN_UNAUTHORIZED',
          message: 'the admin token is required (Bearer, or as the password of Basic auth)',
        },
      });
  };
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { bearerToken } from '@cdp/http';

const digest = (text: string) => createHash('sha256').update(text).digest();

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
  // Digests are of equal length whatever was sent, so the comparison stays constant-time.
  const expected = digest(token);
  return (req: Request, res: Response, next: NextFunction) => {
    const given = presentedToken(req.get('authorization') ?? '');
    if (given !== null && timingSafeEqual(digest(given), expected)) return next();
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

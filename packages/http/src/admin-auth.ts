import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { bearerToken } from './bearer-token';

export function requireAdmin(token: string) {
  const expected = Buffer.from(token);
  return (req: Request, res: Response, next: NextFunction) => {
    const given = Buffer.from(bearerToken(req.get('authorization')) ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    return res
      .status(401)
      .json({ error: { code: 'ERR_ADMIN_UNAUTHORIZED', message: 'admin bearer token required' } });
  };
}

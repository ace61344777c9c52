import { hashSecret } from '@cdp/http';
import type { NextFunction, Request, Response } from 'express';
import type { Db } from 'mongodb';

/** Resolves `Authorization: Bearer <apiKey>` to its tenant; every read is scoped to that tenant. */
export function requireTenant(db: Db) {
  const keys = db.collection<{ _id: string; tenantId: string; revokedAt: Date | null }>('api_keys');
  return async (req: Request, res: Response, next: NextFunction) => {
    const match = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '');
    const key = match?.[1] ? await keys.findOne({ _id: hashSecret(match[1]) }) : null;
    if (!key || key.revokedAt) {
      return res
        .status(401)
        .json({ error: { code: 'ERR_UNAUTHORIZED', message: 'a valid tenant API key is required' } });
    }
    res.locals.tenantId = key.tenantId;
    return next();
  };
}

export const tenantOf = (res: Response): string => res.locals.tenantId as string;

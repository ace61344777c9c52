import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Projector } from './projector';

const replayBody = z.strictObject({ topic: z.string().min(1), key: z.string().min(1) });

/** Operators list parked events and replay a key's parked events once its cause is fixed. */
/** `current` follows the live generation's projector, which changes when a rebuild switches. */
export function parkedRouter(current: () => Projector): Router {
  const router = Router();
  router.get('/parked', async (req: Request, res: Response) => {
    const topic = typeof req.query.topic === 'string' ? req.query.topic : undefined;
    const key = typeof req.query.key === 'string' ? req.query.key : undefined;
    const events = await current().parkingLot.list({ ...(topic && { topic }), ...(key && { key }) });
    res.json({
      items: events.map(({ value: _value, ...event }) => event),
    });
  });
  router.post('/parked/replay', express.json(), async (req: Request, res: Response) => {
    const parsed = replayBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: { code: 'ERR_BAD_REPLAY', message: z.prettifyError(parsed.error) } });
      return;
    }
    const result = await current().replayParked(parsed.data.topic, parsed.data.key);
    res.status(result.error ? 409 : 200).json(result);
  });
  return router;
}

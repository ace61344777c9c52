import { z } from 'zod';
import { normalizePhone } from '@cdp/contracts';

/** A Vietnamese phone number in any usual spelling (0912…, +84912…, 84912…), parsed to E.164. */
export const phoneParam = z
  .string()
  .transform(
    (raw, ctx) =>
      normalizePhone(raw) ?? (ctx.addIssue({ code: 'custom', message: 'not a phone number' }), z.NEVER),
  );

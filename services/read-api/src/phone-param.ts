import { z } from 'zod';
import { normalizePhone } from '@cdp/contracts';

/**
 * A Vietnamese phone number in any usual spelling (0912…, +84912…, 84912…), parsed to E.164. A
 * `+` left unencoded in a query string arrives as a space: a leading one before a country code is the plus.
 */
export const phoneParam = z
  .string()
  .transform(
    (raw, ctx) =>
      normalizePhone(raw.replace(/^ (?=[1-9])/, '+')) ??
      (ctx.addIssue({ code: 'custom', message: 'not a phone number' }), z.NEVER),
  );

import { createHmac, timingSafeEqual } from 'node:crypto';

export const signBody = (body: Buffer | string, secret: string): string =>
  createHmac('sha256', secret).update(body).digest('base64');

/** Compares in constant time over the raw bytes Haravan signed. */
export function verifySignature(body: Buffer, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(header.trim(), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/** `X-Haravan-Hmacsha256`: base64 HMAC-SHA256 of the raw body bytes, keyed with the webhook secret. */
export function signWebhook(body: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

export function verifyWebhookSignature(body: string | Buffer, secret: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(body, secret));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

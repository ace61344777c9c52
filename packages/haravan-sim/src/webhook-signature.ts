import { createHmac } from 'node:crypto';

/** `X-Haravan-Hmacsha256`: base64 HMAC-SHA256 of the raw body bytes, keyed with the webhook secret. */
export function signWebhook(body: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

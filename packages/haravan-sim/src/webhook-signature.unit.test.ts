import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.js';

// echo -n '{"id":1}' | openssl dgst -sha256 -hmac secret -binary | base64
const KNOWN = 'A971iWIMgT8Zj9A9eWfikrFj7wQ16/Qwcc4OlRl2PLc=';

describe('webhook signature', () => {
  it('matches the openssl vector for {"id":1} with key "secret"', () => {
    expect(signWebhook('{"id":1}', 'secret')).toBe(KNOWN);
    expect(signWebhook(Buffer.from('{"id":1}'), 'secret')).toBe(KNOWN);
  });

  it('signs the exact bytes: whitespace changes the signature', () => {
    expect(signWebhook('{"id": 1}', 'secret')).not.toBe(KNOWN);
    expect(verifyWebhookSignature('{"id":1}', 'secret', KNOWN)).toBe(true);
    expect(verifyWebhookSignature('{"id":1}', 'other', KNOWN)).toBe(false);
  });
});

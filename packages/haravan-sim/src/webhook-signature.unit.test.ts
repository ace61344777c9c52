import { describe, expect, it } from 'vitest';
import { signWebhook } from './webhook-signature.js';

// echo -n '{"id":1}' | openssl dgst -sha256 -hmac secret -binary | base64
const KNOWN = 'A971iWIMgT8Zj9A9eWfikrFj7wQ16/Qwcc4OlRl2PLc=';

describe('webhook signature', () => {
  it('matches the openssl vector for {"id":1} with key "secret"', () => {
    expect(signWebhook('{"id":1}', 'secret')).toBe(KNOWN);
    expect(signWebhook(Buffer.from('{"id":1}'), 'secret')).toBe(KNOWN);
  });

  it('signs the exact bytes with the secret: whitespace or another secret changes the signature', () => {
    expect(signWebhook('{"id": 1}', 'secret')).not.toBe(KNOWN);
    expect(signWebhook('{"id":1}', 'other')).not.toBe(KNOWN);
  });
});

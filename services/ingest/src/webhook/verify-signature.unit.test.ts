import { describe, expect, it } from 'vitest';
import { signBody, verifySignature } from './verify-signature';

// echo -n '{"id":1}' | openssl dgst -sha256 -hmac secret -binary | base64
const KNOWN = 'A971iWIMgT8Zj9A9eWfikrFj7wQ16/Qwcc4OlRl2PLc=';

describe('webhook signature', () => {
  it('matches a known HMAC-SHA256 base64 vector', () => {
    expect(signBody('{"id":1}', 'secret')).toBe(KNOWN);
    expect(verifySignature(Buffer.from('{"id":1}'), 'secret', KNOWN)).toBe(true);
  });

  it('rejects a missing, truncated or foreign signature', () => {
    const body = Buffer.from('{"id":1}');
    expect(verifySignature(body, 'secret', undefined)).toBe(false);
    expect(verifySignature(body, 'secret', KNOWN.slice(0, 20))).toBe(false);
    expect(verifySignature(body, 'other', KNOWN)).toBe(false);
    expect(verifySignature(Buffer.from('{"id":2}'), 'secret', KNOWN)).toBe(false);
  });
});

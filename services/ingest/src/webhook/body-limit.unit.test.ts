import { describe, expect, it } from 'vitest';
import { ingestConfigSchema } from '../config';
import { bytesOf } from './body-limit';

describe('the webhook body limit', () => {
  it('reads sizes as express does', () => {
    expect(bytesOf('1mb')).toBe(1024 * 1024);
    expect(bytesOf('512KB')).toBe(512 * 1024);
    expect(bytesOf('1.5mb')).toBe(1.5 * 1024 * 1024);
    expect(bytesOf('2048')).toBe(2048);
    expect(bytesOf('1 mb')).toBe(1024 * 1024);
    // Express would read these as 1 byte.
    for (const size of ['lots', ' 1mb', '1mb ', '1m', '1e6']) expect(bytesOf(size), size).toBeNull();
  });

  it('refuses at boot a limit whose bodies would not fit a raw record', () => {
    const env = { ADMIN_TOKEN: 'x'.repeat(16), SECRETS_KEY: Buffer.alloc(32).toString('base64') };
    expect(ingestConfigSchema.safeParse({ ...env, WEBHOOK_BODY_LIMIT: '3mb' }).success).toBe(true);
    for (const limit of ['3.0001mb', '5mb', 'lots'])
      expect(ingestConfigSchema.safeParse({ ...env, WEBHOOK_BODY_LIMIT: limit }).success, limit).toBe(false);
  });
});

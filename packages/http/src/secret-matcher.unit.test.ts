import { describe, expect, it } from 'vitest';
import { secretMatcher } from './secret-matcher';

describe('matching a presented token against a secret', () => {
  const matches = secretMatcher('s3cret-token');

  it('takes the secret itself only', () => {
    expect(matches('s3cret-token')).toBe(true);
    for (const other of [null, '', 's3cret', 's3cret-token ', 'S3CRET-TOKEN', 's3cret-tokenx'])
      expect(matches(other), String(other)).toBe(false);
  });
});

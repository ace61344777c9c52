import { describe, expect, it } from 'vitest';
import { bearerToken } from './bearer-token';

describe('the bearer token of an Authorization header', () => {
  it.each(['Bearer k-1', 'bearer k-1', 'BEARER k-1', 'Bearer  k-1'])('is found in %j', (header) => {
    expect(bearerToken(header)).toBe('k-1');
  });

  it.each([undefined, '', 'Bearer', 'Bearer ', 'Basic dTpw', 'Bearerk-1', 'Bearer k-1 extra', 'k-1'])(
    'is not found in %j',
    (header) => {
      expect(bearerToken(header)).toBeNull();
    },
  );
});

import { describe, expect, it } from 'vitest';
import { parseCallLimit } from './call-limit';

describe('parseCallLimit', () => {
  it('reads used/capacity', () => {
    expect(parseCallLimit('32/80')).toEqual({ used: 32, capacity: 80 });
    expect(parseCallLimit(' 80 / 80 ')).toEqual({ used: 80, capacity: 80 });
  });
  it('gives null for missing or malformed values', () => {
    for (const value of [null, undefined, '', '32', 'a/80', '3/0', '1.5/80'])
      expect(parseCallLimit(value)).toBeNull();
  });
});

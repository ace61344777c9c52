import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { limitParam } from './pagination';
import { exactLookup, parseQuery } from './query-params';

const schema = z.object({ email: z.string().min(1).optional(), limit: limitParam });
const refusal = (query: Record<string, unknown>) => {
  try {
    parseQuery(schema, query);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('parsing a query', () => {
  it('refuses a parameter written with brackets, as it refuses a repeated one', () => {
    expect(refusal({ 'email[$regex]': '^bao' })).toMatch(/^query\.email: .*object/);
    expect(refusal({ email: 'a@b.vn', 'email[$ne]': '' })).toMatch(/^query\.email: /);
    expect(refusal({ 'limit[]': '5' })).toMatch(/^query\.limit: /);
    expect(refusal({ email: ['a@b.vn', 'c@d.vn'] })).toMatch(/^query\.email: .*array/);
  });

  it('takes an empty parameter as not given, but not an empty one written with brackets', () => {
    expect(parseQuery(schema, { email: '', limit: '' })).toEqual({ limit: 50 });
    expect(refusal({ 'email[$ne]': '' })).toMatch(/^query\.email: .*object/);
  });

  it('refuses an exact lookup given empty, which would otherwise answer everything', () => {
    const lookup = z.object({ sku: exactLookup(z.string().min(1).optional()), limit: limitParam });
    expect(() => parseQuery(lookup, { sku: '' })).toThrow(/^query\.sku: /);
    expect(parseQuery(lookup, { limit: '' })).toEqual({ limit: 50 });
  });

  it('takes plain values, and leaves keys that are not its parameters alone', () => {
    expect(parseQuery(schema, { email: 'a@b.vn', limit: '5', 'other[x]': '1', '[email]': '1' })).toEqual({
      email: 'a@b.vn',
      limit: 5,
    });
  });
});

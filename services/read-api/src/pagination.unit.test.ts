import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpError } from './http-error';
import { orderCursorParam } from './order-pages';
import { encodeCursor, limitParam, pageOf } from './pagination';
import { parseQuery } from './query-params';

const query = z.object({ limit: limitParam, cursor: orderCursorParam });
const parse = (value: Record<string, unknown>) => parseQuery(query, value);
const status = (fn: () => unknown) => {
  try {
    fn();
    return 200;
  } catch (error) {
    return error instanceof HttpError ? error.status : 500;
  }
};

describe('cursors', () => {
  it('round-trip the sort key through an opaque url-safe string', () => {
    const cursor = encodeCursor([1735693200000, '1138637099']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(parse({ cursor }).cursor).toEqual([1735693200000, '1138637099']);
  });

  it.each([
    ['not base64 json', 'garbage!!'],
    ['another list’s key', encodeCursor(['only-an-id'])],
  ])('answer 400 to a bad cursor (%s)', (_what, cursor) => {
    expect(status(() => parse({ cursor }))).toBe(400);
  });

  it('take an empty cursor as none: the first page, asked with the null `nextCursor` it has not had', () => {
    expect(parse({ cursor: '' })).toEqual({ limit: 50 });
  });

  it('name the parameter in the 400 message', () => {
    expect(() => parse({ cursor: 'x' })).toThrow(/query\.cursor: not a cursor of this list/);
  });

  it('page: the next cursor is the last item’s key, null on the last page', () => {
    const items = [1, 2, 3];
    const key = (n: number) => [n];
    const first = pageOf(items, 2, key, String);
    expect(first).toEqual({ items: ['1', '2'], nextCursor: encodeCursor([2]) });
    expect(pageOf(items, 3, key, String).nextCursor).toBeNull();
  });
});

describe('limit', () => {
  it('defaults to 50 and accepts up to 500', () => {
    expect(parse({}).limit).toBe(50);
    expect(parse({ limit: '500' }).limit).toBe(500);
  });

  it.each(['0', '501', '2.5', 'ten', '-1'])('answers 400 to limit=%s', (limit) => {
    expect(status(() => parse({ limit }))).toBe(400);
  });

  it('takes an empty limit as none given', () => {
    expect(parse({ limit: '' }).limit).toBe(50);
  });

  it('ignores unknown parameters', () => {
    expect(parse({ limit: '7', colour: 'blue' })).toEqual({ limit: 7 });
  });
});

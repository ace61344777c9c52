import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpError, parseOrThrow } from './http-error';
import { localDay, offsetMinutes, rangeParams, timeRangeOf } from './time-range';

const query = z.object(rangeParams);
const range = (value: Record<string, string>) => timeRangeOf(parseOrThrow(query, value, 'query'));
const statusOf = (fn: () => unknown) => {
  try {
    fn();
    return 200;
  } catch (error) {
    return error instanceof HttpError ? error.status : 500;
  }
};

describe('time ranges', () => {
  it('read bare dates as whole days in the shop time zone (+07:00 by default)', () => {
    expect(range({ from: '2025-01-02', to: '2025-01-02' })).toEqual({
      fromMs: Date.parse('2025-01-01T17:00:00Z'),
      toMs: Date.parse('2025-01-02T17:00:00Z'),
    });
  });

  it('take date-times with their own offset, `to` exclusive', () => {
    expect(range({ from: '2025-01-02T00:00:00Z', to: '2025-01-03T10:00:00+07:00' })).toEqual({
      fromMs: Date.parse('2025-01-02T00:00:00Z'),
      toMs: Date.parse('2025-01-03T03:00:00Z'),
    });
  });

  it('take a date-time without its seconds, as ISO-8601 allows', () => {
    expect(range({ from: '2025-01-02T00:00+07:00', to: '2025-01-02T00:30Z' })).toEqual({
      fromMs: Date.parse('2025-01-01T17:00:00Z'),
      toMs: Date.parse('2025-01-02T00:30:00Z'),
    });
  });

  it('read a + left unencoded, which arrives as a space, in an offset as the plus it was', () => {
    expect(range({ from: '2025-01-02T00:00:00 07:00', to: '2025-01-02T10:00 07:00' })).toEqual({
      fromMs: Date.parse('2025-01-01T17:00:00Z'),
      toMs: Date.parse('2025-01-02T03:00:00Z'),
    });
    expect(range({ from: '2025-01-02T00:00:00.5 07:00' }).fromMs).toBe(Date.parse('2025-01-01T17:00:00.5Z'));
    expect(range({ from: '2025-01-02', tz: ' 05:30' }).fromMs).toBe(Date.parse('2025-01-01T18:30:00Z'));
  });

  it('are open-ended without bounds', () => {
    expect(range({})).toEqual({ fromMs: -Infinity, toMs: Infinity });
  });

  it.each([
    [{ from: 'yesterday' }],
    [{ from: '2025-13-01' }],
    [{ to: '2025-01-02T10:00:00' }], // no offset: ambiguous
    [{ to: '2025-01-02T10:00' }],
    [{ from: '2025-01-02T10 07:00' }], // hours alone
    [{ from: '2025-01-02 10:00' }], // a space is no `T`, nor a `+` before a date's time
    [{ from: '2025-01-02T00:00:00 7:00' }],
    [{ tz: ' 7' }],
    [{ from: '2025-02-01', to: '2025-01-01' }],
    [{ tz: '7' }],
  ])('answer 400 to %o', (value) => {
    expect(statusOf(() => range(value))).toBe(400);
  });

  it('name local days at an offset', () => {
    expect(offsetMinutes('+07:00')).toBe(420);
    expect(offsetMinutes('-03:30')).toBe(-210);
    expect(localDay(Date.parse('2025-01-01T17:00:00Z'), 420)).toBe('2025-01-02');
    expect(localDay(Date.parse('2025-01-01T16:59:59Z'), 420)).toBe('2025-01-01');
  });
});

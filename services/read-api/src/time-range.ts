import { z } from 'zod';
import { badRequest } from './http-error';

/** Vietnam (the shops Haravan serves) has no daylight saving, so a fixed offset is exact. */
export const SHOP_TIME_ZONE = '+07:00';

const OFFSET = /^([+-])(0\d|1[0-4]):([0-5]\d)$/;

/**
 * A `+` left unencoded in a query string arrives as a space: one where a time's offset or a bare
 * offset begins is the plus (a minus arrives as it was).
 */
const plusOfOffset = (value: unknown) =>
  typeof value === 'string' ? value.replace(/(?<=^|T[\d:.]+) (?=\d\d:\d\d$)/, '+') : value;

export const tzParam = z
  .preprocess(plusOfOffset, z.string().regex(OFFSET, 'an offset like +07:00').default(SHOP_TIME_ZONE))
  .describe('UTC offset that bare dates and report days are read in');

// ISO-8601 lets a time leave out its seconds: with its offset, still one instant.
const instantOrDate = z.preprocess(
  plusOfOffset,
  z.union([z.iso.datetime({ offset: true }), z.iso.datetime({ offset: true, precision: -1 }), z.iso.date()]),
);

export const rangeParams = {
  from: instantOrDate
    .optional()
    .describe('inclusive; a date-time with offset (seconds may be left out), or a date (its start in `tz`)'),
  to: instantOrDate
    .optional()
    .describe(
      'exclusive; a date-time with offset (seconds may be left out), or a date (included whole, in `tz`)',
    ),
  tz: tzParam,
};

export const offsetMinutes = (tz: string): number => {
  const [, sign, hours, minutes] = OFFSET.exec(tz) ?? [];
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
};

const DAY_MS = 24 * 60 * 60 * 1000;
const isDate = (value: string) => value.length === 10;

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

/** The half-open range [from, to) in epoch ms; a bare `to` date covers its whole day. */
export function timeRangeOf(query: { from?: string; to?: string; tz: string }): TimeRange {
  const at = (value: string) => Date.parse(isDate(value) ? `${value}T00:00:00${query.tz}` : value);
  const fromMs = query.from ? at(query.from) : -Infinity;
  const toMs = query.to ? at(query.to) + (isDate(query.to) ? DAY_MS : 0) : Infinity;
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) throw badRequest('query.from/to: not a real date');
  if (fromMs > toMs) throw badRequest('query.from: must not be after query.to');
  return { fromMs, toMs };
}

export const inRange = (ms: number, range: TimeRange) => ms >= range.fromMs && ms < range.toMs;

/** Instants whose `toISOString()` has a four-digit year, so that as text they sort as in time. */
const ISO_MIN_MS = Date.parse('0000-01-01T00:00:00.000Z');
const ISO_MAX_MS = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * A store filter on an order's `createdAt`, exact: the read model keeps it in `toISOString()` form,
 * which sorts as text as it does in time. A bound past the years that form can write is left out
 * (nothing lies beyond it). Empty for an open range.
 */
export function createdAtWithin(range: TimeRange): { createdAt?: { $gte?: string; $lt?: string } } {
  const createdAt = {
    ...(range.fromMs > ISO_MIN_MS && { $gte: new Date(Math.min(range.fromMs, ISO_MAX_MS)).toISOString() }),
    ...(range.toMs <= ISO_MAX_MS && { $lt: new Date(Math.max(range.toMs, ISO_MIN_MS)).toISOString() }),
  };
  return Object.keys(createdAt).length > 0 ? { createdAt } : {};
}

/** The calendar day (YYYY-MM-DD) an instant falls on at the given UTC offset. */
export const localDay = (ms: number, offsetMin: number): string =>
  new Date(ms + offsetMin * 60_000).toISOString().slice(0, 10);

import { parseMoney, type Money } from '@cdp/contracts';
import { z } from 'zod';
import { parseTimestamp } from './timestamp';

/**
 * Field schemas that never fail: a value of the wrong type becomes null (or a neutral default),
 * so one odd field cannot make a whole Haravan record unreadable.
 */
const lenient = <T>(convert: (value: unknown) => T) => z.unknown().optional().transform(convert);

/** Haravan ids are JSON numbers; numeric strings are accepted too. 0 means "none" (e.g. `user_id`). */
export function toId(value: unknown): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? String(value) : null;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) {
    const id = value.trim().replace(/^0+/, '');
    return id === '' ? null : id;
  }
  return null;
}

/**
 * Half of a UTF-16 pair, left by text cut inside an emoji (JSON escapes it, `\ud83d`): Avro's UTF-8
 * writes it as U+FFFD, so the event would differ from the snapshot decided on; taken as U+FFFD here.
 */
const LONE_SURROGATE = /\p{Cs}/gu;

/** Trimmed text; empty or blank strings carry no information (Haravan sends `sku: ""`). */
export function toText(value: unknown): string | null {
  if (typeof value === 'string') {
    const text = value.trim().replace(LONE_SURROGATE, '\ufffd');
    return text === '' ? null : text;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const isInt32 = (n: number) => Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX;

/** Counts and codes (quantities, stock, gender) are Avro `int`: a value beyond 32 bits is unreadable, like any other garbage. */
export function toInt(value: unknown): number | null {
  if (typeof value === 'number') return isInt32(value) ? value : null;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) {
    const parsed = Number(value.trim());
    return isInt32(parsed) ? parsed : null;
  }
  return null;
}

export function toBool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

/**
 * parseMoney throws on numbers ≥ 1e21 (toFixed gives exponent notation that BigInt rejects); such
 * amounts cannot be carried exactly by a JSON number anyway, so they count as missing.
 */
export function toMoney(value: unknown): Money | null {
  try {
    return parseMoney(value);
  } catch {
    return null;
  }
}

export const idField = lenient(toId);
export const textField = lenient(toText);
export const intField = lenient(toInt);
export const boolField = lenient(toBool);
export const moneyField = lenient(toMoney);
export const timestampField = lenient(parseTimestamp);
export const anyField = lenient((value) => value);
/** Arrays arrive as null as often as empty; anything that is not an array counts as empty. */
export const listField = lenient((value): unknown[] => (Array.isArray(value) ? value : []));

/** Parses each element with `item`, dropping the ones it rejects (non-objects, entries without an id). */
export function parseEach<T>(items: readonly unknown[], item: (value: unknown) => T | null): T[] {
  return items.map(item).filter((value): value is T => value !== null);
}

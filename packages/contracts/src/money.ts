import { z } from 'zod';

/**
 * Money travels as a plain decimal string ("13200000", "1250.5"): Haravan's decimals have
 * up to 4 fraction digits and binary floats must never carry them on the wire.
 * Arithmetic happens on bigint units at scale 4.
 */
const SCALE = 4;
const FACTOR = 10n ** BigInt(SCALE);
const DECIMAL = /^-?\d+(\.\d{1,4})?$/;

export const moneySchema = z.string().regex(DECIMAL, 'a decimal string with at most 4 fraction digits');
export type Money = z.infer<typeof moneySchema>;

/** An amount that cannot be below zero, as Haravan requires of a price: no minus sign. */
export const nonNegativeMoneySchema = z
  .string()
  .regex(/^\d+(\.\d{1,4})?$/, 'a decimal string of at least 0 with at most 4 fraction digits');

export function toUnits(value: Money): bigint {
  // Read past its scale, 1.23456 would be 3.3456: a value from elsewhere than a schema is checked.
  if (!DECIMAL.test(value))
    throw new RangeError(`not a decimal with at most ${SCALE} fraction digits: ${value}`);
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? value.slice(1) : value).split('.');
  const units = BigInt(whole) * FACTOR + BigInt(fraction.padEnd(SCALE, '0'));
  return negative ? -units : units;
}

export function fromUnits(units: bigint): Money {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / FACTOR;
  const fraction = (abs % FACTOR).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Accepts what Haravan sends (JSON numbers, numeric strings, null) and yields a canonical decimal string. */
export function parseMoney(input: unknown): Money | null {
  if (input === null || input === undefined || input === '') return null;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return null;
    return fromUnits(toUnits(input.toFixed(SCALE)));
  }
  if (typeof input !== 'string') return null;
  const text = input.trim();
  if (DECIMAL.test(text)) return fromUnits(toUnits(text));
  // More fraction digits than the scale ("13230000.00001"): rounded, half away from zero.
  const long = /^(-?)(\d+)\.(\d{5,})$/.exec(text);
  if (!long) return null;
  const [, sign = '', whole = '', fraction = ''] = long;
  const units = BigInt(whole + fraction.slice(0, SCALE)) + (fraction[SCALE]! >= '5' ? 1n : 0n);
  return fromUnits(sign ? -units : units);
}

export const sumMoney = (values: readonly Money[]): Money =>
  fromUnits(values.reduce((total, v) => total + toUnits(v), 0n));

export const subtractMoney = (a: Money, b: Money): Money => fromUnits(toUnits(a) - toUnits(b));

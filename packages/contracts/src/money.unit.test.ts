import { describe, expect, it } from 'vitest';
import { fromUnits, nonNegativeMoneySchema, parseMoney, subtractMoney, sumMoney, toUnits } from './money';

describe('money', () => {
  it('canonicalises what Haravan sends: numbers with 4 decimals, integers and numeric strings', () => {
    expect(parseMoney(13200000.0)).toBe('13200000');
    expect(parseMoney(729000)).toBe('729000');
    expect(parseMoney('1250.5000')).toBe('1250.5');
    expect(parseMoney(-520000)).toBe('-520000');
  });

  it('yields null for absent or non-numeric values instead of guessing', () => {
    expect(parseMoney(null)).toBeNull();
    expect(parseMoney('abc')).toBeNull();
    expect(parseMoney(Number.NaN)).toBeNull();
  });

  it('takes a non-negative amount only without a minus sign', () => {
    expect(nonNegativeMoneySchema.safeParse('0').success).toBe(true);
    expect(nonNegativeMoneySchema.safeParse('15000.5').success).toBe(true);
    expect(nonNegativeMoneySchema.safeParse('-500000').success).toBe(false);
    expect(nonNegativeMoneySchema.safeParse('-0').success).toBe(false);
  });

  it('adds and subtracts exactly where binary floats would drift', () => {
    expect(sumMoney(['0.1', '0.2'])).toBe('0.3');
    expect(subtractMoney('13230000', '30000')).toBe('13200000');
    expect(fromUnits(toUnits('-0.0001'))).toBe('-0.0001');
  });

  it('rounds a numeric string with more than 4 fraction digits, as it rounds a number', () => {
    expect(parseMoney('13230000.00001')).toBe('13230000');
    expect(parseMoney('199999.99995')).toBe('200000');
    expect(parseMoney('-0.00005')).toBe('-0.0001');
    expect(parseMoney(13230000.00001)).toBe('13230000');
  });

  it('refuses to read a decimal past its scale rather than misplace its digits', () => {
    expect(() => toUnits('1.23456')).toThrow(RangeError);
    expect(() => toUnits('12e3')).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone';

describe('normalizePhone', () => {
  it('makes 0912…, +84912… and 84912… one number', () => {
    expect(normalizePhone('0912345678')).toBe('+84912345678');
    expect(normalizePhone('+84912345678')).toBe('+84912345678');
    expect(normalizePhone('84912345678')).toBe('+84912345678');
    expect(normalizePhone('091 234.56-78')).toBe('+84912345678');
  });

  it('treats empty input as no phone', () => {
    expect(normalizePhone('')).toBeNull();
    expect(normalizePhone(null)).toBeNull();
    expect(normalizePhone(' - ')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone';

describe('normalizePhone', () => {
  it('makes 0912…, +84912… and 84912… one number', () => {
    expect(normalizePhone('0912345678')).toBe('+84912345678');
    expect(normalizePhone('+84912345678')).toBe('+84912345678');
    expect(normalizePhone('84912345678')).toBe('+84912345678');
    expect(normalizePhone('091 234.56-78')).toBe('+84912345678');
  });

  it('drops a trunk 0 kept after the country code, and reads 00 as the plus', () => {
    expect(normalizePhone('+84 (0)912 345 678')).toBe('+84912345678');
    expect(normalizePhone('840912345678')).toBe('+84912345678');
    expect(normalizePhone('0084912345678')).toBe('+84912345678');
    expect(normalizePhone('0084 0912 345 678')).toBe('+84912345678');
    // 084… is a mobile prefix (VinaPhone), not a country code.
    expect(normalizePhone('0845 123 456')).toBe('+84845123456');
  });

  it('treats empty input as no phone', () => {
    expect(normalizePhone('')).toBeNull();
    expect(normalizePhone(null)).toBeNull();
    expect(normalizePhone(' - ')).toBeNull();
  });
});

import fc from 'fast-check';
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

  it('takes the first of several numbers typed into one field', () => {
    expect(normalizePhone('0912345678 - 0987654321')).toBe('+84912345678');
    expect(normalizePhone('0912 345 678 / Zalo 0987 654 321')).toBe('+84912345678');
    expect(normalizePhone('0912345678 hoặc 0987654321')).toBe('+84912345678');
    expect(normalizePhone('0912345678, 0987654321')).toBe('+84912345678');
    expect(normalizePhone('0912345678-0987654321')).toBe('+84912345678');
    expect(normalizePhone('0912345678 - 12345')).toBe('+84912345678');
    expect(normalizePhone('0912345678 hoặc 0987654321'.normalize('NFD'))).toBe('+84912345678');
    // Spaced dashes within one number stay one number.
    expect(normalizePhone('0912 - 345 - 678')).toBe('+84912345678');
    // Run together without a separator, it is no number at all.
    expect(normalizePhone('09123456780987654321')).toBeNull();
  });

  it('takes the first of several numbers set apart by spaces, a new line, & or a note', () => {
    for (const raw of [
      '0912345678 0903111222',
      '0912345678\n0903111222',
      '0912345678 (Zalo 0903111222)',
      '0912345678 & 0903111222',
      '0912 345 678 0903 111 222',
      'DĐ 0912345678 ĐT bàn 02838123456',
      '0912345678/79',
    ])
      expect(normalizePhone(raw), raw).toBe('+84912345678');
    expect(normalizePhone('(028) 3822 1234 0912345678')).toBe('+842838221234');
    expect(normalizePhone('0168 123 4567 0903111222')).toBe('+84381234567');
  });

  it('drops an extension', () => {
    expect(normalizePhone('0912345678 ext 12')).toBe('+84912345678');
    expect(normalizePhone('+84 912 345 678 ext. 12')).toBe('+84912345678');
    expect(normalizePhone('028 3822 1234 máy lẻ 105')).toBe('+842838221234');
    expect(normalizePhone('+1 415 555 0100 ext 12')).toBe('+14155550100');
  });

  it('takes the number after "Chi nhánh", "ext:" or "Gọi nhanh" for the number, not an extension', () => {
    expect(normalizePhone('Chi nhánh: 028 3822 1234')).toBe('+842838221234');
    expect(normalizePhone('SĐT chi nhánh: 0903 111 222')).toBe('+84903111222');
    expect(normalizePhone('ext: 0912345678')).toBe('+84912345678');
    expect(normalizePhone('Gọi nhanh 0912345678')).toBe('+84912345678');
    expect(normalizePhone('028 3822 1234 nhánh: 105')).toBe('+842838221234');
  });

  it('reads a field no further than any list of numbers goes', () => {
    expect(normalizePhone(`${'x'.repeat(300)} 0912345678`)).toBeNull();
    expect(normalizePhone(`0912345678 ${'1 '.repeat(100_000)}`)).toBe('+84912345678');
  });

  it("keeps another country's number whole, the first of several too", () => {
    expect(normalizePhone('+66 81 234 5678')).toBe('+66812345678');
    expect(normalizePhone('+65 9123 4567 0912345678')).toBe('+6591234567');
    expect(normalizePhone('0065 9123 4567')).toBe('+6591234567');
  });

  it('gives back the leading 0 a mobile number lost', () => {
    expect(normalizePhone('912345678')).toBe('+84912345678');
    expect(normalizePhone('345678901')).toBe('+84345678901');
    // Not a mobile prefix: kept as written.
    expect(normalizePhone('212345678')).toBe('212345678');
  });

  it('renumbers the 11-digit mobile prefixes Vietnam retired in 2018', () => {
    expect(normalizePhone('0168 123 4567')).toBe('+84381234567');
    expect(normalizePhone('+84 1681234567')).toBe('+84381234567');
    expect(normalizePhone('01201234567')).toBe('+84701234567');
    expect(normalizePhone('01991234567')).toBe('+84591234567');
    // Landlines are 11 digits too (02x…): left alone.
    expect(normalizePhone('024 3826 1234')).toBe('+842438261234');
  });

  it('gives a normalised phone back unchanged', () => {
    const written = [
      '0912345678',
      '+84 (0)912 345 678',
      '028 3822 1234 ext 1234',
      '0912345678 - 12345',
      '0168 123 4567',
      '912345678',
      '0912345678 / 0987654321',
      '+6591234567',
      '1900 1234',
      '012345678901234',
      '0000000000',
      '00000000000',
      '+84 (0)0 912 345 678',
    ];
    for (const raw of written) {
      const once = normalizePhone(raw);
      expect(normalizePhone(once), raw).toBe(once);
    }
  });

  it('gives back a placeholder number as it keeps it, so a search for it finds it', () => {
    expect(normalizePhone('0000000000')).toBe('+84000000000');
    expect(normalizePhone('+84000000000')).toBe('+84000000000');
  });

  it('gives back whatever it gives unchanged, for any text', () => {
    // Pieces phones are written with, so that prefixes, trunk zeros and separators meet often.
    const piece = fc.oneof(
      fc.constantFrom('0', '00', '84', '+84', '+', '(0)', '1', '168', ' ', '-', '/', '\n', '&', 'ext ', 'x'),
      fc.stringMatching(/^\d{1,10}$/),
    );
    const phoneLike = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(fc.oneof(phoneLike, fc.string()), (raw) => {
        const once = normalizePhone(raw);
        expect(normalizePhone(once)).toBe(once);
      }),
      { numRuns: 5000 },
    );
  });
});

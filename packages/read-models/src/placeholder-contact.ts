import { foldedText } from './searchable-text';

/**
 * What shop staff type when an address has no real phone or name. Keyed on, such values would merge
 * strangers into one receiver contact (R12), so they count as missing. Listed, and compared,
 * without diacritics, punctuation or case ("Khách lẻ.", "KHACH-LE" and "khách lẻ" are one).
 */
const PLACEHOLDER_NAMES = new Set([
  'khach le',
  'khach',
  'khach hang',
  'khach hang le',
  'khach mua le',
  'khach vang lai',
  'kvl',
  'kh',
  'khong ten',
  'khong co ten',
  'na',
  'none',
  'null',
  'unknown',
  'no name',
  'noname',
  'guest',
  'test',
  'x',
  'xxx',
  '',
]);

export const isPlaceholderName = (name: string): boolean =>
  PLACEHOLDER_NAMES.has(
    foldedText(name)
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim(),
  );

/** One digit repeated (0000000000, 0999999999) or a run of digits (0123456789), in E.164. */
export function isPlaceholderPhone(e164: string): boolean {
  const national = e164.replace(/^\+84/, '');
  return /^(\d)\1+$/.test(national) || '0123456789'.includes(national) || '9876543210'.includes(national);
}

import { foldedText } from './searchable-text';

/**
 * What shop staff type when an address has no real phone or name. Keyed on, such values would merge
 * strangers into one receiver contact (R12), so they count as missing. Listed, and compared,
 * without diacritics, punctuation, spaces or case ("Khách lẻ.", "KHACH-LE", "N/A" and "na" are one).
 */
const PLACEHOLDER_NAMES = new Set([
  'khachle',
  'khach',
  'khachhang',
  'khachhangle',
  'khachmuale',
  'khachvanglai',
  'kvl',
  'kh',
  'khongten',
  'khongcoten',
  'na',
  'none',
  'null',
  'unknown',
  'noname',
  'guest',
  'test',
  'x',
  'xxx',
  '',
]);

export const isPlaceholderName = (name: string): boolean =>
  PLACEHOLDER_NAMES.has(foldedText(name).replace(/[^\p{L}\p{N}]+/gu, ''));

/** One digit repeated (0000000000, 0999999999) or a run of digits (0123456789), in E.164. */
export function isPlaceholderPhone(e164: string): boolean {
  const national = e164.replace(/^\+84/, '');
  return /^(\d)\1+$/.test(national) || '0123456789'.includes(national) || '9876543210'.includes(national);
}

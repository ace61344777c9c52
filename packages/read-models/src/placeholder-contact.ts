/**
 * What shop staff type when an address has no real phone or name. Keyed on, such values would merge
 * strangers into one receiver contact (R12), so they count as missing. Names are compared normalised
 * (NFC, trimmed, single spaces, lower case).
 */
const PLACEHOLDER_NAMES = new Set([
  'khách lẻ',
  'khach le',
  'khách',
  'khach',
  'khách hàng',
  'khach hang',
  'kh',
  'n/a',
  'na',
  'none',
  'no name',
  'noname',
  'guest',
  'test',
  'x',
  'xxx',
  '-',
  '.',
]);

export const isPlaceholderName = (normalised: string): boolean => PLACEHOLDER_NAMES.has(normalised);

/** One digit repeated (0000000000, 0999999999) or a run of digits (0123456789), in E.164. */
export function isPlaceholderPhone(e164: string): boolean {
  const national = e164.replace(/^\+84/, '');
  return /^(\d)\1+$/.test(national) || '0123456789'.includes(national) || '9876543210'.includes(national);
}

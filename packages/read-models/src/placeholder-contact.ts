import { foldedText } from './searchable-text';

/**
 * What shop staff type when an address has no real name (phones: `isPlaceholderPhone`). Keyed on, such
 * values would merge strangers into one receiver contact (R12), so they count as missing. Listed,
 * and compared, without diacritics, punctuation, spaces or case ("Khách lẻ.", "KHACH-LE", "N/A" and
 * "na" are one).
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

import { isVietnameseNumber, normalizePhone } from './phone';

/**
 * What shop staff type for a missing phone: one digit repeated (0000000000, 0999999999) or a run of
 * digits (0123456789), in E.164.
 */
export function isPlaceholderPhone(e164: string): boolean {
  const national = e164.replace(/^\+84/, '');
  return /^(\d)\1+$/.test(national) || '0123456789'.includes(national) || '9876543210'.includes(national);
}

/**
 * A customer's phone as R8 takes it, in E.164: null when there is none or only a placeholder that is
 * no one's number (0000000000, 0123456789), so that the default address's is taken instead
 * (lessons-from-peers: block placeholder values). A placeholder that can be a real number stays: a
 * sought-after one (0999999999, 0333333333) is someone's, and losing a customer's own phone costs
 * more than keeping a placeholder.
 */
export function customerPhone(raw: string | null | undefined): string | null {
  const e164 = normalizePhone(raw);
  return e164 === null || (isPlaceholderPhone(e164) && !isVietnameseNumber(e164)) ? null : e164;
}

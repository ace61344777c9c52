/**
 * Vietnamese numbers arrive as 0912…, +84912…, 84912… (and with spaces, dots, dashes), some with
 * the trunk 0 kept after the country code (+84 (0)912…) or 00 for the plus (0084912…). The
 * canonical form is E.164 (+84912…), so all of them compare equal. A Vietnamese number never
 * starts with 0 after +84, nor a local one with 00.
 */
export function normalizePhone(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const written = raw.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
  const digits = written
    .replace(/^00(?=[1-9])/, '+')
    .replace(/^(\+?)840(?=\d{8})/, (_, plus: string) => `${plus}84`);
  if (digits.length === 0) return null;
  if (digits.startsWith('+')) return digits.length > 4 ? digits : null;
  if (digits.startsWith('84') && digits.length >= 11) return `+${digits}`;
  if (digits.startsWith('0') && digits.length >= 9) return `+84${digits.slice(1)}`;
  return digits.length >= 7 ? digits : null;
}

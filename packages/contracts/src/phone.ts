/**
 * Vietnamese numbers arrive as 0912…, +84912…, 84912… (and with spaces, dots, dashes).
 * The canonical form is E.164 (+84912…), so all three compare equal.
 */
export function normalizePhone(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const digits = raw.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
  if (digits.length === 0) return null;
  if (digits.startsWith('+')) return digits.length > 4 ? digits : null;
  if (digits.startsWith('84') && digits.length >= 11) return `+${digits}`;
  if (digits.startsWith('0') && digits.length >= 9) return `+84${digits.slice(1)}`;
  return digits.length >= 7 ? digits : null;
}

/**
 * Vietnamese phone forms Haravan holds for one number: `0912345678`, `+84912345678`, `84912345678`.
 */
export type PhoneStyle = 'local' | 'plus84' | 'bare84';

/** National significant number (9 digits, no leading 0) → one of the forms Haravan stores. */
export function formatPhone(national: string, style: PhoneStyle): string {
  switch (style) {
    case 'local':
      return `0${national}`;
    case 'plus84':
      return `+84${national}`;
    case 'bare84':
      return `84${national}`;
  }
}

/** Canonical E.164 (`+84…`), or undefined when the text is not a Vietnamese number. */
export function normalizePhone(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const digits = raw.replace(/[\s.\-()]/g, '');
  let national: string | undefined;
  if (/^\+84\d{9}$/.test(digits)) national = digits.slice(3);
  else if (/^84\d{9}$/.test(digits)) national = digits.slice(2);
  else if (/^0\d{9}$/.test(digits)) national = digits.slice(1);
  return national ? `+84${national}` : undefined;
}

/**
 * Vietnam's 11-digit mobile prefixes and the 10-digit ones they became in 2018 (`0168…` is now
 * `038…`): records from before keep the old number, new orders of the same person the new one.
 */
const RENUMBERED_2018: Readonly<Record<string, string>> = {
  '120': '70',
  '121': '79',
  '122': '77',
  '126': '76',
  '128': '78',
  '123': '83',
  '124': '84',
  '125': '85',
  '127': '81',
  '129': '82',
  '162': '32',
  '163': '33',
  '164': '34',
  '165': '35',
  '166': '36',
  '167': '37',
  '168': '38',
  '169': '39',
  '186': '56',
  '188': '58',
  '199': '59',
};

/** E.164 allows 15 digits; more is several numbers run together. */
const MAX_DIGITS = 15;

/**
 * What shop staff put between two numbers in one field: `0912… / 0987…`, `0912…-0987…`, `… hoặc …`.
 * Only split on when the whole is no number: `0912-345-678` is one.
 */
const BETWEEN_NUMBERS = /[/,;|\-–]|\s(?:hoặc|hoac|or|và|va)\s/iu;

const tooManyDigits = (raw: string) => raw.replace(/\D/g, '').length > MAX_DIGITS;

/** One number as written, or null. */
function normalizeOne(raw: string): string | null {
  const written = raw.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
  const digits = written
    .replace(/^00(?=[1-9])/, '+')
    .replace(/^(\+?)840(?=\d{8})/, (_, plus: string) => `${plus}84`);
  const phone = numberOf(digits);
  // Judged on the result: normalised again, a phone is itself (+84 added must not make it too long).
  return phone === null || tooManyDigits(phone) ? null : phone;
}

function numberOf(digits: string): string | null {
  if (digits.length === 0) return null;
  if (digits.startsWith('+')) return digits.length > 4 ? renumbered(digits) : null;
  if (digits.startsWith('84') && digits.length >= 11) return renumbered(`+${digits}`);
  if (digits.startsWith('0') && digits.length >= 9) return renumbered(`+84${digits.slice(1)}`);
  // A mobile number whose leading 0 was lost (a spreadsheet, or a JSON number): 912345678.
  if (/^[35789]\d{8}$/.test(digits)) return `+84${digits}`;
  return digits.length >= 7 ? digits : null;
}

function renumbered(e164: string): string {
  const old = /^\+841(\d\d)(\d{7})$/.exec(e164);
  const now = old && RENUMBERED_2018[`1${old[1]}`];
  return now ? `+84${now}${old[2]}` : e164;
}

/**
 * Vietnamese numbers arrive as 0912…, +84912…, 84912… (and with spaces, dots, dashes), some with
 * the trunk 0 kept after the country code (+84 (0)912…) or 00 for the plus (0084912…). The
 * canonical form is E.164 (+84912…), so all of them compare equal. A Vietnamese number never
 * starts with 0 after +84, nor a local one with 00. A field holding several numbers is its first.
 */
export function normalizePhone(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const whole = normalizeOne(raw);
  if (whole !== null) return whole;
  // Composed, as the separators are written (macOS keyboards type hoặc decomposed).
  for (const part of raw.normalize('NFC').split(BETWEEN_NUMBERS)) {
    const phone = normalizeOne(part);
    if (phone !== null) return phone;
  }
  return null;
}

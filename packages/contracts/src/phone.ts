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

/**
 * An extension after a number (`028 3822 1234 ext 12`, `… máy lẻ 12`): not part of it, so dropped.
 * Only right after digits, and of at most 6: the number itself follows "Chi nhánh:" or "ext:".
 */
const EXTENSION = /(?<=\d[\s.,)]*)(?:ext(?:ension)?|máy lẻ|may le|nhánh)\.?\s*(?::\s*)?\d{1,6}(?!\d)/giu;

/** Longer than any list of numbers staff type: past it, the rest is not read (and costs nothing). */
const MAX_FIELD_CHARS = 200;

/** Digits as written together, a `+` kept with those it opens. */
const DIGIT_RUN = /\+\s*\d+|\d+/g;

/** A run opening a number of another country: `+65…`, `0065…`, not `+84…` nor a lone `00`. */
const FOREIGN_START = /^(?:\+|00)(?!84|$)/;

/** A Vietnamese number in E.164: a mobile's 9 digits after +84, a landline's 10 (02x…). */
const VIETNAMESE = /^\+84(?:[35789]\d{8}|2\d{9})$/;

export const isVietnameseNumber = (e164: string): boolean => VIETNAMESE.test(e164);

const tooManyDigits = (raw: string) => raw.replace(/\D/g, '').length > MAX_DIGITS;

/** One number as written, or null. */
function normalizeOne(raw: string): string | null {
  const written = raw.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
  const digits = written
    .replace(/^00(?=[1-9])/, '+')
    .replace(/^(\+?)840(?=[1-9]\d{7})/, (_, plus: string) => `${plus}84`);
  const phone = numberOf(digits);
  // Judged on the result: normalised again, a phone is itself (+84 added must not make it too long,
  // and a 0 after +84 is a trunk 0 only before a real number, or +84000000000 would lose a 0 a time).
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
 * starts with 0 after +84, nor a local one with 00. A field holding several numbers is its first,
 * however they are set apart (spaces, a new line, `&`, `(Zalo …)`), and an extension is dropped.
 */
export function normalizePhone(raw: string | null | undefined): string | null {
  if (!raw) return null;
  // Composed, as the words are written (macOS keyboards type hoặc decomposed).
  const text = raw.slice(0, MAX_FIELD_CHARS).normalize('NFC').replace(EXTENSION, ' ');
  const runs = (text.match(DIGIT_RUN) ?? []).map((run) => run.replace(/\s/g, ''));
  for (let start = 0; start < runs.length; start++) {
    const phone = longestNumberAt(runs, start);
    if (phone !== null) return phone;
  }
  return asWritten(text);
}

/**
 * The longest number that runs from `start` on make, written apart as staff group digits
 * (`0912 345 678`): a Vietnamese number when they open none of another country's, else one of at
 * most 15 digits. Runs past a number add digits it cannot have, so the next number is not taken in.
 */
function longestNumberAt(runs: readonly string[], start: number): string | null {
  const foreign = FOREIGN_START.test(runs[start] ?? '');
  let digits = '';
  let found: string | null = null;
  for (let i = start; i < runs.length; i++) {
    const run = runs[i] as string;
    // A plus opens a number: it ends the one before.
    if (digits !== '' && run.startsWith('+')) break;
    digits += run;
    if (tooManyDigits(digits)) break;
    const phone = normalizeOne(digits);
    if (phone !== null && (foreign ? !phone.startsWith('+84') : VIETNAMESE.test(phone))) found = phone;
  }
  return found;
}

/** A number of no known form (`1900 1234`): the whole as one, else the first part that is one. */
function asWritten(text: string): string | null {
  const whole = normalizeOne(text);
  if (whole !== null) return whole;
  for (const part of text.split(BETWEEN_NUMBERS)) {
    const phone = normalizeOne(part);
    if (phone !== null) return phone;
  }
  return null;
}

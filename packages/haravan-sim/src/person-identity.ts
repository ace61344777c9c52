import { normalizePhone } from './phone.js';

/** New-style open syllables (tone on the second vowel) and their old-style spelling, composed. */
const OLD_STYLE: Readonly<Record<string, string>> = {
  oà: 'òa',
  oá: 'óa',
  oả: 'ỏa',
  oã: 'õa',
  oạ: 'ọa',
  oè: 'òe',
  oé: 'óe',
  oẻ: 'ỏe',
  oẽ: 'õe',
  oẹ: 'ọe',
  uỳ: 'ùy',
  uý: 'úy',
  uỷ: 'ủy',
  uỹ: 'ũy',
  uỵ: 'ụy',
};

/**
 * A name as R12 compares it: one Unicode form, single spaces, lower case, and a word ending in an
 * open oa, oe or uy spelled in the old style (Thuý is Thúy); qu's u is a consonant's (quý).
 */
export function normalizeName(name: string): string {
  return name
    .normalize('NFC')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase()
    .replace(/(q?)(o[àáảãạèéẻẽẹ]|u[ỳýỷỹỵ])(?!\p{L})/gu, (whole, q: string, pair: string) =>
      q && pair.startsWith('u') ? whole : q + (OLD_STYLE[pair] ?? pair),
    );
}

export interface PersonRef {
  name: string;
  phone: string | null;
}

/**
 * R12 "names a different person": the receiver carries none of the buyer's phones and none of their
 * names (same number, same person, however the name is spelled; same name, one typed without its
 * diacritics included, same person, whatever the number). The buyer comes as several references: as the order states them and as they are now.
 */
export function isDifferentPerson(receiver: PersonRef, buyer: readonly PersonRef[]): boolean {
  const phone = normalizePhone(receiver.phone);
  const name = normalizeName(receiver.name);
  return !buyer.some(
    (b) =>
      (phone !== undefined && phone === normalizePhone(b.phone)) ||
      (name !== '' && sameName(name, normalizeName(b.name))),
  );
}

/**
 * Staff type a name without diacritics as often as with: Nguyen Van An is Nguyễn Văn An. Both
 * written with them, they must agree: Hùng is not Hưng.
 */
function sameName(a: string, b: string): boolean {
  const plainA = withoutDiacritics(a);
  const plainB = withoutDiacritics(b);
  return a === b || ((plainA === a || plainB === b) && plainA === plainB);
}

const withoutDiacritics = (name: string) =>
  name.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').normalize('NFC');

/** R12: receivers are keyed by normalised phone, then by name when there is no phone. */
export function receiverKey(receiver: PersonRef): string {
  const phone = normalizePhone(receiver.phone);
  return phone ? `phone:${phone}` : `name:${normalizeName(receiver.name)}`;
}

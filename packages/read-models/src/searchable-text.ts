/** A tone mark (grave, acute, tilde, hook above, dot below) in decomposed text. */
const TONE = '[\\u0300\\u0301\\u0303\\u0309\\u0323]';
/**
 * The open syllables oa, oe and uy take their tone on the first vowel in the old style (hòa,
 * thúy, khỏe) and on the second in the new (hoà, thuý, khoẻ); keyboards default to either. Before
 * a final consonant both agree (hoàng), and in quý the u is the consonant's. Matched decomposed,
 * at a word's end.
 */
const NEW_STYLE_TONES = [
  new RegExp(`(o)([ae])(${TONE})(?![\\p{L}\\p{M}])`, 'gu'),
  new RegExp(`(?<!q)(u)(y)(${TONE})(?![\\p{L}\\p{M}])`, 'gu'),
];
/** Old style back to new, for a search whose last word may be the start of a longer one. */
const OLD_STYLE_TONE_AT_END = new RegExp(`(?:(o)(${TONE})([ae])|(?<!q)(u)(${TONE})(y))$`, 'u');

/**
 * A name or title as stored for prefix search and compared (R12), and as a search is matched
 * against it: one Unicode form (NFC; Vietnamese keyboards also type the decomposed one), the old
 * style's tone placement, no invisible format characters (zero-width spaces, soft hyphens: pasted
 * from chat apps), single spaces, lower case.
 */
export function searchableText(text: string): string {
  let decomposed = text
    .normalize('NFD')
    .replace(/\p{Cf}/gu, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
  for (const style of NEW_STYLE_TONES) decomposed = decomposed.replace(style, '$1$3$2');
  return decomposed.normalize('NFC');
}

/**
 * The same text with its last word's tone in the new style where the two differ (`… hòa` → `…
 * hoà`), else null: as a prefix, `hoà` may be the start of `hoàng`, which both styles write alike.
 */
export function newStyleEnding(searchable: string): string | null {
  const decomposed = searchable.normalize('NFD');
  const moved = decomposed.replace(OLD_STYLE_TONE_AT_END, (_, o, ot, ae, u, ut, y) =>
    o ? `${o}${ae}${ot}` : `${u}${y}${ut}`,
  );
  return moved === decomposed ? null : moved.normalize('NFC');
}

/**
 * Searchable text without diacritics (`đ` as `d`): what a name typed without them, as many do
 * (`nguyen van an`), is matched against.
 */
export const foldedText = (text: string): string =>
  searchableText(text).normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').normalize('NFC');

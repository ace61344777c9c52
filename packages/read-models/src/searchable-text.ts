/**
 * A name or title as stored for prefix search and as a search is matched against it: one Unicode
 * form (NFC; Vietnamese keyboards also type the decomposed one), single spaces, lower case.
 */
export const searchableText = (text: string): string =>
  text.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Searchable text without diacritics (`đ` as `d`): what a name typed without them, as many do
 * (`nguyen van an`), is matched against.
 */
export const foldedText = (text: string): string =>
  searchableText(text).normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').normalize('NFC');

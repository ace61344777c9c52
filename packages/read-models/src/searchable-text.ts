/**
 * A name or title as stored for prefix search and as a search is matched against it: one Unicode
 * form (NFC; Vietnamese keyboards also type the decomposed one), single spaces, lower case.
 */
export const searchableText = (text: string): string =>
  text.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

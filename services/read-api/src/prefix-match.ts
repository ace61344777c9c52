import { z } from 'zod';
import { foldedText, newStyleEnding, searchableText } from '@cdp/read-models';

/** A search text as the store keeps the field it searches (`searchableText`): no control characters, bounded. */
export const searchTextParam = z
  .string()
  .max(200)
  .regex(/^\P{Cc}*$/u, 'no control characters')
  .transform(searchableText)
  .pipe(z.string().min(1));

/**
 * Prefix search on a field kept in `searchableText` form (`nameLower`, `titleLower`), for a text
 * parsed by `searchTextParam`. An anchored, case-sensitive regex is a range scan of the (tenantId,
 * field) index on MongoDB; FerretDB applies it to the tenant's documents after the tenantId
 * equality. Either way no document is shipped to this process just to be discarded.
 */
export const prefixOf = (q: string) => ({ $regex: `^${q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` });

/**
 * A name or title search: typed without diacritics, it matches the folded field whatever the
 * stored text's; documents written before the folded field was kept are matched as they were, by
 * the exact one. Typed with diacritics, the exact field only; a last word whose tone the two
 * styles place apart (`hòa`, `hoà`) also matches as the start of a longer word (`hoàng`).
 */
export function textSearchFilter(q: string, fields: { exact: string; folded: string }) {
  const folded = foldedText(q);
  if (folded !== q) {
    const longer = newStyleEnding(q);
    if (longer === null) return { [fields.exact]: prefixOf(q) };
    return { $or: [{ [fields.exact]: prefixOf(q) }, { [fields.exact]: prefixOf(longer) }] };
  }
  return {
    $or: [
      { [fields.folded]: prefixOf(folded) },
      { [fields.folded]: { $exists: false }, [fields.exact]: prefixOf(q) },
    ],
  };
}

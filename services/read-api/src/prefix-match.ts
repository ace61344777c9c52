/**
 * Case-insensitive prefix search on a lower-cased field (`nameLower`, `titleLower`). An anchored,
 * case-sensitive regex is a range scan of the (tenantId, field) index on MongoDB; FerretDB applies
 * it to the tenant's documents after the tenantId equality. Either way no document is shipped to
 * this process just to be discarded.
 */
export const prefixOf = (q: string) => ({
  $regex: `^${q.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
});

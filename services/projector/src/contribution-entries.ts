import { sameContribution, totalsOf, type OrderContribution } from '@cdp/read-models';

/** A buyer's entries: what each of their orders' latest state adds, by order id. */
export type Entries = Record<string, OrderContribution>;

/** A buyer's entries with a change of their orders: those listed set, those unlisted taken out. */
export function withChange(
  stored: Entries,
  change: { listed: ReadonlyMap<string, OrderContribution>; unlisted: ReadonlySet<string> },
): Entries {
  const listed = { ...stored };
  for (const [orderId, entry] of change.listed) listed[orderId] = entry;
  for (const orderId of change.unlisted) delete listed[orderId];
  return listed;
}

export const sameEntries = (a: Entries, b: Entries) =>
  Object.keys(a).length === Object.keys(b).length &&
  Object.entries(b).every(([orderId, entry]) => sameContribution(a[orderId], entry));

/**
 * The update from a buyer's stored entries to `listed`, entry by entry, with the totals: FerretDB
 * skips a `$set` of a whole map whose values line up with the stored map's, whatever their keys (it
 * compares objects field by field in order, not by name), so an order replaced by another of the
 * same entry would stay listed.
 */
export function entriesUpdate(stored: Entries, listed: Entries) {
  const { $set, $unset } = entriesDiff('orderContributions', stored, listed);
  return { $set: { ...totalsOf(listed), ...$set }, ...($unset && { $unset }) };
}

/** The `$set` and `$unset` that take the map at `field` from `stored` to `listed`, entry by entry. */
export function entriesDiff(field: string, stored: Entries, listed: Entries) {
  const $set: Record<string, unknown> = {};
  for (const [orderId, entry] of Object.entries(listed))
    if (!sameContribution(stored[orderId], entry)) $set[`${field}.${orderId}`] = entry;
  const $unset: Record<string, ''> = {};
  for (const orderId of Object.keys(stored)) if (!(orderId in listed)) $unset[`${field}.${orderId}`] = '';
  return { $set, $unset: Object.keys($unset).length > 0 ? $unset : undefined };
}

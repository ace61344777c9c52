import { sameContribution, totalsOf, type OrderContribution } from '@cdp/read-models';

/** A buyer's entries: what each of their orders' latest state adds, by order id. */
export type Entries = Record<string, OrderContribution>;

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
  const $set: Record<string, unknown> = { ...totalsOf(listed) };
  for (const [orderId, entry] of Object.entries(listed))
    if (!sameContribution(stored[orderId], entry)) $set[`orderContributions.${orderId}`] = entry;
  const $unset: Record<string, ''> = {};
  for (const orderId of Object.keys(stored))
    if (!(orderId in listed)) $unset[`orderContributions.${orderId}`] = '';
  return Object.keys($unset).length > 0 ? { $set, $unset } : { $set };
}

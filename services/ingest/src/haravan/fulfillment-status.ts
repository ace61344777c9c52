import type { FulfillmentStatus } from '@cdp/contracts';

/**
 * Haravan documents fulfilled/partial/restocked/null but sends `notfulfilled`, `restock` and
 * Vietnamese labels; these map to the documented words plus `notfulfilled`. Unknown values are kept
 * lower-cased rather than guessed. null stays null: Haravan's own "nothing fulfilled yet" value.
 */
const known: Readonly<Record<string, FulfillmentStatus>> = {
  fulfilled: 'fulfilled',
  'đã hoàn thành': 'fulfilled',
  partial: 'partial',
  partially_fulfilled: 'partial',
  notfulfilled: 'notfulfilled',
  not_fulfilled: 'notfulfilled',
  unfulfilled: 'notfulfilled',
  'chưa hoàn thành': 'notfulfilled',
  restocked: 'restocked',
  restock: 'restocked',
  'nhập kho': 'restocked',
};

export function normalizeFulfillmentStatus(raw: string | null): string | null {
  if (raw === null) return null;
  const key = raw.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');
  if (key === '') return null;
  return known[key] ?? known[key.replace(/[\s-]/g, '_')] ?? key;
}

import { financialStatuses, type FinancialStatus } from '@cdp/contracts';

// Haravan's examples spell some statuses without the underscore (`partiallypaid`).
const aliases: Readonly<Record<string, FinancialStatus>> = {
  partiallypaid: 'partially_paid',
  partiallyrefunded: 'partially_refunded',
};

/** Maps Haravan's `financial_status` to the closed set; anything unrecognised is 'unknown' (raw kept elsewhere). */
export function normalizeFinancialStatus(raw: string | null): FinancialStatus {
  if (raw === null) return 'unknown';
  const key = raw
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const alias = aliases[key.replace(/_/g, '')];
  if (alias) return alias;
  return (financialStatuses as readonly string[]).includes(key) ? (key as FinancialStatus) : 'unknown';
}

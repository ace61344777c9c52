import { fromUnits, sumMoney, toUnits, type Money } from '@cdp/contracts';
import { foldedText } from '@cdp/read-models';
import { z } from 'zod';
import { listField, moneyField, parseEach, textField } from './lenient';

const refundTransaction = z.looseObject({ kind: textField, status: textField, amount: moneyField });
const refund = z.looseObject({ transactions: listField });

/**
 * Refunds that moved no money (yet), compared without case or diacritics: Haravan writes statuses in
 * English or localised ("Thất bại"). Anything else (success, null, "Thành công") counts.
 */
const unpaidStatuses = new Set([
  'failure',
  'failed',
  'error',
  'pending',
  'that bai',
  'loi',
  'dang xu ly',
  'cho xu ly',
]);

/**
 * Sum of |amount| over refund transactions of `refunds[]`. Haravan has been seen writing refund
 * amounts negative (-520000), so the sign is ignored.
 */
export function totalRefunded(refunds: readonly unknown[]): Money {
  const amounts = refunds.flatMap((raw) => {
    const parsed = refund.safeParse(raw);
    if (!parsed.success) return [];
    return parseEach(parsed.data.transactions, (value) => {
      const tx = refundTransaction.safeParse(value);
      if (!tx.success || tx.data.amount === null) return null;
      if (tx.data.kind?.toLowerCase() !== 'refund') return null;
      if (tx.data.status !== null && unpaidStatuses.has(foldedText(tx.data.status))) return null;
      return absolute(tx.data.amount);
    });
  });
  return sumMoney(amounts);
}

const absolute = (amount: Money): Money => {
  const units = toUnits(amount);
  return fromUnits(units < 0n ? -units : units);
};

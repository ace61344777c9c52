import type { Units } from './money.js';
import { sumUnits } from './money.js';
import type { SimOrder } from './model.js';

export interface OrderTotals {
  totalLineItemsPrice: Units;
  totalDiscounts: Units;
  subtotalPrice: Units;
  totalShipping: Units;
  totalPrice: Units;
  totalWeight: number;
}

/** Haravan's figures: line item prices are before discounts; total includes shipping. */
export function orderTotals(
  order: Pick<SimOrder, 'lineItems' | 'discountCodes' | 'shippingLines'>,
): OrderTotals {
  const totalLineItemsPrice = sumUnits(order.lineItems.map((li) => li.price * BigInt(li.quantity)));
  const totalDiscounts = sumUnits(order.discountCodes.map((d) => d.amount));
  const subtotalPrice = totalLineItemsPrice - totalDiscounts;
  const totalShipping = sumUnits(order.shippingLines.map((s) => s.price));
  return {
    totalLineItemsPrice,
    totalDiscounts,
    subtotalPrice,
    totalShipping,
    totalPrice: subtotalPrice + totalShipping,
    totalWeight: order.lineItems.reduce((acc, li) => acc + li.grams * li.quantity, 0),
  };
}

/** Haravan localizes some transaction statuses. */
const SUCCESS = new Set(['success', 'Thành công']);

/** Money received minus money returned, from the order's transactions. */
export function netPaid(order: Pick<SimOrder, 'transactions'>): Units {
  return sumUnits(
    order.transactions
      .filter((t) => SUCCESS.has(t.status))
      .map((t) =>
        t.kind === 'capture' || t.kind === 'sale' ? t.amount : t.kind === 'refund' ? -t.amount : 0n,
      ),
  );
}

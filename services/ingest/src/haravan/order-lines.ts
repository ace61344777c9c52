import type { OrderSnapshot } from '@cdp/contracts';
import { z } from 'zod';
import { idField, intField, moneyField, parseEach, textField } from './lenient';

type LineItem = OrderSnapshot['lineItems'][number];
type ShippingLine = OrderSnapshot['shippingLines'][number];
type DiscountCode = OrderSnapshot['discountCodes'][number];

const haravanLineItem = z.looseObject({
  id: idField,
  product_id: idField,
  variant_id: idField,
  sku: textField,
  title: textField,
  name: textField,
  variant_title: textField,
  quantity: intField,
  price: moneyField,
  total_discount: moneyField,
});

const haravanShippingLine = z.looseObject({ code: textField, title: textField, price: moneyField });
const haravanDiscountCode = z.looseObject({ code: textField, amount: moneyField, type: textField });

/** A line item without an id cannot be told apart from its siblings, so it is dropped. */
export function lineItems(raw: readonly unknown[]): LineItem[] {
  return parseEach(raw, (value) => {
    const parsed = haravanLineItem.safeParse(value);
    if (!parsed.success) return null;
    const item = parsed.data;
    if (item.id === null) return null;
    return {
      lineItemId: item.id,
      productId: item.product_id,
      variantId: item.variant_id,
      sku: item.sku,
      title: item.title ?? item.name ?? '',
      variantTitle: item.variant_title,
      quantity: item.quantity ?? 0,
      price: item.price ?? '0',
      totalDiscount: item.total_discount ?? '0',
    };
  });
}

export function shippingLines(raw: readonly unknown[]): ShippingLine[] {
  return parseEach(raw, (value) => {
    const parsed = haravanShippingLine.safeParse(value);
    if (!parsed.success) return null;
    return { code: parsed.data.code, title: parsed.data.title, price: parsed.data.price ?? '0' };
  });
}

export function discountCodes(raw: readonly unknown[]): DiscountCode[] {
  return parseEach(raw, (value) => {
    const parsed = haravanDiscountCode.safeParse(value);
    if (!parsed.success) return null;
    return { code: parsed.data.code ?? '', amount: parsed.data.amount ?? '0', type: parsed.data.type };
  });
}

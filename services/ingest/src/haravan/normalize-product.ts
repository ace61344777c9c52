import { ok, type ProductSnapshot, type Result } from '@cdp/contracts';
import { z } from 'zod';
import {
  anyField,
  idField,
  intField,
  listField,
  moneyField,
  parseEach,
  textField,
  timestampField,
} from './lenient';
import { splitTags } from './tags';
import { snapshotHeader } from './snapshot-header';
import { unwrap } from './unwrap';

type Variant = ProductSnapshot['variants'][number];

const haravanVariant = z.looseObject({
  id: idField,
  title: textField,
  sku: textField,
  barcode: textField,
  price: moneyField,
  compare_at_price: moneyField,
  inventory_quantity: intField,
});

const haravanProduct = z.looseObject({
  id: idField,
  created_at: timestampField,
  updated_at: timestampField,
  title: textField,
  handle: textField,
  product_type: textField,
  vendor: textField,
  tags: anyField,
  published_at: timestampField,
  variants: listField,
});

/** A Haravan product → ProductSnapshot (R1: products flow one way, Haravan → CDP). */
export function normalizeProduct(payload: unknown): Result<ProductSnapshot> {
  const record = unwrap(payload, 'product');
  const head = snapshotHeader(record, 'product');
  if (!head.ok) return head;
  // Cannot fail: the header found an object, and every other field is read leniently.
  const p = haravanProduct.parse(record);
  const { id, createdAt, updatedAt } = head.value;
  return ok({
    productId: id,
    createdAt,
    updatedAt,
    title: p.title ?? '',
    handle: p.handle,
    productType: p.product_type,
    vendor: p.vendor,
    tags: splitTags(p.tags),
    publishedAt: p.published_at,
    variants: parseEach(p.variants, variant),
  });
}

/** A variant without an id cannot be referenced by line items, so it is dropped. */
function variant(raw: unknown): Variant | null {
  const parsed = haravanVariant.safeParse(raw);
  if (!parsed.success) return null;
  const v = parsed.data;
  if (v.id === null) return null;
  return {
    variantId: v.id,
    title: v.title,
    sku: v.sku,
    barcode: v.barcode,
    price: v.price ?? '0',
    compareAtPrice: v.compare_at_price,
    inventoryQuantity: v.inventory_quantity,
  };
}

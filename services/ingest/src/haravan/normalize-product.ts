import { err, ok, type ProductSnapshot, type Result } from '@cdp/contracts';
import { z } from 'zod';
import { invalidPayload } from './invalid-payload';
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
  const parsed = haravanProduct.safeParse(unwrap(payload, 'product'));
  if (!parsed.success) return err(invalidPayload('product payload is not an object'));
  const p = parsed.data;
  if (p.id === null) return err(invalidPayload('product payload has no numeric id'));
  if (p.created_at === null || p.updated_at === null) {
    return err(invalidPayload(`product ${p.id} has no valid created_at/updated_at`));
  }
  return ok({
    productId: p.id,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
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

import { z } from 'zod';
import { moneySchema } from './money';

export const productVariantSchema = z.strictObject({
  variantId: z.string(),
  title: z.string().nullable(),
  sku: z.string().nullable(),
  barcode: z.string().nullable(),
  price: moneySchema,
  compareAtPrice: moneySchema.nullable(),
  inventoryQuantity: z.int32().nullable(),
});

export const productSnapshotSchema = z.strictObject({
  productId: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  title: z.string(),
  handle: z.string().nullable(),
  productType: z.string().nullable(),
  vendor: z.string().nullable(),
  tags: z.array(z.string()),
  publishedAt: z.string().nullable(),
  variants: z.array(productVariantSchema),
});
export type ProductSnapshot = z.infer<typeof productSnapshotSchema>;

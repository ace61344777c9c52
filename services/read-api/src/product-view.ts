import { z } from 'zod';
import { productSnapshotSchema } from '@cdp/contracts';
import type { ProductDoc } from '@cdp/read-models';

/** Products flow one way, Haravan → CDP (R1): the snapshot as synced, plus whether it was deleted. */
export const productViewSchema = productSnapshotSchema.extend({ deleted: z.boolean() });
export type ProductView = z.infer<typeof productViewSchema>;

export const productView = (doc: ProductDoc): ProductView => ({
  productId: doc.productId,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
  title: doc.title,
  handle: doc.handle,
  productType: doc.productType,
  vendor: doc.vendor,
  tags: doc.tags,
  publishedAt: doc.publishedAt,
  variants: doc.variants,
  deleted: doc.deleted,
});

import { z } from 'zod';
import { eventMetadataSchema } from './event-metadata';
import { productSnapshotSchema } from './product-snapshot';

export const productUpsertedSchema = z.strictObject({
  type: z.literal('ProductUpserted'),
  data: z.strictObject({ product: productSnapshotSchema }),
  metadata: eventMetadataSchema,
});

export const productDeletedSchema = z.strictObject({
  type: z.literal('ProductDeleted'),
  data: z.strictObject({ productId: z.string(), deletedAt: z.iso.datetime({ offset: true }) }),
  metadata: eventMetadataSchema,
});

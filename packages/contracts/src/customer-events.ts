import { z } from 'zod';
import { customerSnapshotSchema } from './customer-snapshot';
import { eventMetadataSchema } from './event-metadata';

export const customerUpsertedSchema = z.strictObject({
  type: z.literal('CustomerUpserted'),
  data: z.strictObject({ customer: customerSnapshotSchema }),
  metadata: eventMetadataSchema,
});

export const customerDeletedSchema = z.strictObject({
  type: z.literal('CustomerDeleted'),
  data: z.strictObject({ customerId: z.string(), deletedAt: z.iso.datetime({ offset: true }) }),
  metadata: eventMetadataSchema,
});

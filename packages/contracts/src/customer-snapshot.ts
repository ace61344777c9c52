import { z } from 'zod';
import { addressSchema } from './address';

export const customerSnapshotSchema = z.strictObject({
  customerId: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  /** 1 male, 0 female, null unknown — as Haravan encodes it. */
  gender: z.int32().nullable(),
  birthday: z.string().nullable(),
  tags: z.array(z.string()),
  acceptsMarketing: z.boolean(),
  state: z.string().nullable(),
  note: z.string().nullable(),
  addresses: z.array(addressSchema),
});
export type CustomerSnapshot = z.infer<typeof customerSnapshotSchema>;

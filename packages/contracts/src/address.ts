import { z } from 'zod';

export const addressSchema = z.strictObject({
  addressId: z.string().nullable(),
  isDefault: z.boolean(),
  name: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  phone: z.string().nullable(),
  company: z.string().nullable(),
  address1: z.string().nullable(),
  address2: z.string().nullable(),
  ward: z.string().nullable(),
  wardCode: z.string().nullable(),
  district: z.string().nullable(),
  districtCode: z.string().nullable(),
  province: z.string().nullable(),
  provinceCode: z.string().nullable(),
  country: z.string().nullable(),
  countryCode: z.string().nullable(),
  zip: z.string().nullable(),
});
export type Address = z.infer<typeof addressSchema>;

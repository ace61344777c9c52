import { z } from 'zod';
import { normalizePhone } from './phone.js';

/** Bodies the CDP pushes to Haravan (R22, R23). Shapes follow Haravan's own JSON. */

const phone = z.string().refine((value) => normalizePhone(value) !== undefined, { message: 'is invalid' });
const optionalText = z.string().max(255).nullish();

export const pushAddressSchema = z.object({
  first_name: optionalText,
  last_name: optionalText,
  phone: phone.nullish(),
  address1: optionalText,
  address2: optionalText,
  company: optionalText,
  province: optionalText,
  province_code: optionalText,
  district: optionalText,
  district_code: optionalText,
  ward: optionalText,
  ward_code: optionalText,
  zip: optionalText,
  default: z.boolean().optional(),
});

export const pushCustomerSchema = z.object({
  first_name: optionalText,
  last_name: optionalText,
  email: z.email({ message: 'is invalid' }).nullish(),
  phone: phone.nullish(),
  note: z.string().max(5000).nullish(),
  tags: z.union([z.string(), z.array(z.string())]).nullish(),
  gender: z.union([z.literal(0), z.literal(1)]).nullish(),
  birthday: z.string().nullish(),
  accepts_marketing: z.boolean().optional(),
  addresses: z.array(pushAddressSchema).optional(),
});

const money = z.number().nonnegative({ message: 'must be greater than or equal to 0' });

export const pushOrderSchema = z.object({
  customer: z
    .object({ id: z.number().int().positive().optional() })
    .extend(pushCustomerSchema.omit({ addresses: true }).shape)
    .nullish(),
  email: z.email({ message: 'is invalid' }).nullish(),
  line_items: z
    .array(
      z.object({
        variant_id: z.number().int().positive().nullish(),
        title: z.string().min(1).nullish(),
        quantity: z.number().int().positive({ message: 'must be greater than 0' }),
        price: money.nullish(),
        sku: z.string().nullish(),
      }),
    )
    .min(1, { message: "can't be blank" }),
  shipping_address: pushAddressSchema.nullish(),
  shipping_lines: z
    .array(z.object({ title: z.string().nullish(), code: z.string().nullish(), price: money }))
    .optional(),
  discount_codes: z
    .array(z.object({ code: z.string(), amount: money, type: z.string().optional() }))
    .optional(),
  financial_status: z.enum(['pending', 'authorized', 'paid', 'partially_paid']).optional(),
  note: z.string().nullish(),
  note_attributes: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  tags: z.string().nullish(),
  source_name: z.string().nullish(),
  location_id: z.number().int().nullish(),
});

export type PushAddress = z.infer<typeof pushAddressSchema>;
export type PushCustomer = z.infer<typeof pushCustomerSchema>;
export type PushOrder = z.infer<typeof pushOrderSchema>;

export type FieldErrors = Record<string, string[]>;

/** Haravan's 422 body: `{"errors":{"field":["message"]}}`. */
export function fieldErrors(error: z.ZodError, prefix: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.filter((p) => p !== prefix).join('.') || prefix;
    (errors[path] ??= []).push(
      issue.code === 'invalid_type' && issue.input === undefined ? "can't be blank" : issue.message,
    );
  }
  return errors;
}

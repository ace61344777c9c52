import type { AddressPatch, CustomerInput } from './customer-actions.js';
import type { SimCustomer, SimOrder } from './model.js';
import type { FieldErrors, PushAddress, PushCustomer, PushOrder } from './push-schemas.js';
import { normalizePhone } from './phone.js';
import type { SimShop } from './sim-shop.js';

export type PushResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Orders created through the API carry the creating app's id as their source. */
export const API_SOURCE_NAME = '1000999';

function addressPatch(a: PushAddress): AddressPatch {
  const patch: AddressPatch = {};
  if (a.first_name != null) patch.firstName = a.first_name;
  if (a.last_name != null) patch.lastName = a.last_name;
  if (a.phone !== undefined) patch.phone = a.phone;
  if (a.address1 != null) patch.address1 = a.address1;
  if (a.address2 !== undefined) patch.address2 = a.address2;
  if (a.company !== undefined) patch.company = a.company;
  if (a.province != null) patch.province = a.province;
  if (a.province_code != null) patch.provinceCode = a.province_code;
  if (a.district != null) patch.district = a.district;
  if (a.district_code != null) patch.districtCode = a.district_code;
  if (a.ward != null) patch.ward = a.ward;
  if (a.ward_code != null) patch.wardCode = a.ward_code;
  if (a.zip !== undefined) patch.zip = a.zip;
  if (a.default !== undefined) patch.isDefault = a.default;
  return patch;
}

function customerInput(
  c: Omit<PushCustomer, 'addresses'> & { addresses?: PushCustomer['addresses'] },
): CustomerInput {
  return {
    firstName: c.first_name ?? '',
    lastName: c.last_name ?? '',
    email: c.email ?? null,
    phone: c.phone ?? null,
    note: c.note ?? null,
    tags: Array.isArray(c.tags) ? c.tags.join(', ') : (c.tags ?? null),
    gender: c.gender ?? null,
    birthday: c.birthday ?? null,
    acceptsMarketing: c.accepts_marketing ?? false,
    // A customer pushed without addresses has none (not a made-up one).
    addresses: (c.addresses ?? []).map((a) => ({
      phone: c.phone ?? null,
      firstName: c.first_name ?? '',
      lastName: c.last_name ?? '',
      ...addressPatch(a),
    })),
  };
}

function emailTaken(shop: SimShop, email: string | null | undefined, exceptId?: number): boolean {
  if (!email) return false;
  const wanted = email.toLowerCase();
  return shop
    .records('customers')
    .some((r) => r.id !== exceptId && shop.customer(r.id)?.email?.toLowerCase() === wanted);
}

/** Haravan keeps a phone to one customer per shop, whatever form it is written in. */
function phoneTaken(shop: SimShop, phone: string | null | undefined, exceptId?: number): boolean {
  const wanted = normalizePhone(phone);
  if (!wanted) return false;
  return shop
    .records('customers')
    .some((r) => r.id !== exceptId && normalizePhone(shop.customer(r.id)?.phone) === wanted);
}

/** Haravan's refusal of a customer whose email or phone another customer has. */
function takenErrors(shop: SimShop, body: PushCustomer, exceptId?: number): FieldErrors | null {
  const errors: FieldErrors = {};
  if (emailTaken(shop, body.email, exceptId)) errors['email'] = ['has already been taken'];
  if (phoneTaken(shop, body.phone, exceptId)) errors['phone'] = ['has already been taken'];
  return Object.keys(errors).length > 0 ? errors : null;
}

export function pushCustomer(shop: SimShop, body: PushCustomer): PushResult<SimCustomer> {
  if (!body.first_name && !body.last_name && !body.email && !body.phone) {
    return { ok: false, errors: { customer: ['must have a name, an email or a phone'] } };
  }
  const taken = takenErrors(shop, body);
  if (taken) return { ok: false, errors: taken };
  return { ok: true, value: shop.createCustomer(customerInput(body)) };
}

export function pushCustomerUpdate(
  shop: SimShop,
  id: number,
  body: PushCustomer,
): PushResult<SimCustomer> | undefined {
  if (!shop.customer(id)) return undefined;
  const taken = takenErrors(shop, body, id);
  if (taken) return { ok: false, errors: taken };
  return {
    ok: true,
    value: shop.updateCustomer(id, {
      firstName: body.first_name ?? undefined,
      lastName: body.last_name ?? undefined,
      email: body.email,
      phone: body.phone,
      note: body.note,
      tags: Array.isArray(body.tags) ? body.tags.join(', ') : body.tags,
    }),
  };
}

function resolveCustomer(shop: SimShop, c: PushOrder['customer']): PushResult<number | null> {
  if (!c) return { ok: true, value: null };
  if (c.id !== undefined)
    return shop.customer(c.id)
      ? { ok: true, value: c.id }
      : { ok: false, errors: { customer: ['not found'] } };
  const byEmail = c.email
    ? shop
        .records('customers')
        .find((r) => shop.customer(r.id)?.email?.toLowerCase() === c.email?.toLowerCase())
    : undefined;
  if (byEmail) return { ok: true, value: byEmail.id };
  // Like Shopify, an order naming an unknown customer creates one.
  const created = pushCustomer(shop, c);
  return created.ok ? { ok: true, value: created.value.id } : created;
}

export function pushOrder(shop: SimShop, body: PushOrder): PushResult<SimOrder> {
  const variantIds = new Set(
    shop.records('products').flatMap((r) => shop.product(r.id)?.variants.map((v) => v.id) ?? []),
  );
  const errors: FieldErrors = {};
  body.line_items.forEach((li, index) => {
    if (li.variant_id != null && !variantIds.has(li.variant_id))
      (errors[`line_items.${index}.variant_id`] ??= []).push('not found');
    if (li.variant_id == null && (li.title == null || li.price == null))
      (errors[`line_items.${index}`] ??= []).push('needs a variant_id or a title and a price');
  });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const customer = resolveCustomer(shop, body.customer);
  if (!customer.ok) return customer;
  const shipping = (body.shipping_lines ?? []).reduce((acc, s) => acc + s.price, 0);
  const discount = (body.discount_codes ?? []).reduce((acc, d) => acc + d.amount, 0);
  try {
    const order = shop.createOrder({
      customerId: customer.value,
      lineItems: body.line_items.map((li) => ({
        variantId: li.variant_id ?? undefined,
        title: li.title ?? undefined,
        quantity: li.quantity,
        price: li.price ?? undefined,
        sku: li.sku,
      })),
      shippingAddress: body.shipping_address
        ? addressPatch(body.shipping_address)
        : customer.value === null
          ? null
          : undefined,
      shipping,
      discount: discount > 0 ? discount : undefined,
      financialStatus: body.financial_status ?? 'pending',
      sourceName: body.source_name ?? API_SOURCE_NAME,
      locationId: body.location_id ?? undefined,
      email: body.email ?? undefined,
      note: body.note ?? null,
      noteAttributes: body.note_attributes ?? [],
      tags: body.tags ?? null,
      fulfillmentStatus: 'notfulfilled',
    });
    return { ok: true, value: order };
  } catch (error) {
    return { ok: false, errors: { base: [error instanceof Error ? error.message : String(error)] } };
  }
}

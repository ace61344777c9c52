import { normalizePhone, ok, err, type Address, type CustomerSnapshot, type Result } from '@cdp/contracts';
import { z } from 'zod';
import { invalidPayload } from './invalid-payload';
import { anyField, boolField, idField, intField, listField, textField, timestampField } from './lenient';
import { joinName, normalizeAddress, parseHaravanAddress } from './normalize-address';
import { splitTags } from './tags';
import { unwrap } from './unwrap';

const haravanCustomer = z.looseObject({
  id: idField,
  created_at: timestampField,
  updated_at: timestampField,
  first_name: textField,
  last_name: textField,
  name: textField,
  email: textField,
  phone: textField,
  gender: intField,
  birthday: textField,
  tags: anyField,
  accepts_marketing: boolField,
  state: textField,
  note: textField,
  addresses: listField,
  default_address: anyField,
});

export function normalizeCustomer(payload: unknown): Result<CustomerSnapshot> {
  const parsed = haravanCustomer.safeParse(unwrap(payload, 'customer'));
  if (!parsed.success) return err(invalidPayload('customer payload is not an object'));
  const c = parsed.data;
  if (c.id === null) return err(invalidPayload('customer payload has no numeric id'));
  if (c.created_at === null || c.updated_at === null) {
    return err(invalidPayload(`customer ${c.id} has no valid created_at/updated_at`));
  }
  const defaultAddress = parseHaravanAddress(c.default_address);
  return ok({
    customerId: c.id,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    firstName: c.first_name,
    lastName: c.last_name,
    name: c.name ?? joinName(c.first_name, c.last_name),
    email: normalizeEmail(c.email),
    // R8: an empty customer phone falls back to the default address's phone.
    phone: normalizePhone(c.phone) ?? normalizePhone(defaultAddress?.phone),
    gender: c.gender,
    birthday: c.birthday,
    tags: splitTags(c.tags),
    acceptsMarketing: c.accepts_marketing ?? false,
    state: c.state?.toLowerCase() ?? null,
    note: c.note,
    addresses: customerAddresses(c.addresses, c.default_address),
  });
}

export function normalizeEmail(email: string | null): string | null {
  return email === null ? null : email.toLowerCase();
}

/**
 * R9: every address, the default one marked. `default_address` usually repeats one of `addresses[]`,
 * so entries are deduplicated by id (by content when there is no id).
 */
function customerAddresses(addresses: readonly unknown[], rawDefault: unknown): Address[] {
  const defaultAddress = normalizeAddress(rawDefault, true);
  const isDefault = (address: Address, raw: unknown) =>
    defaultAddress ? sameAddress(address, defaultAddress) : parseHaravanAddress(raw)?.default === true;

  const result: Address[] = [];
  for (const raw of addresses) {
    const parsed = normalizeAddress(raw, false);
    if (!parsed) continue;
    const address = { ...parsed, isDefault: isDefault(parsed, raw) };
    if (!result.some((seen) => sameAddress(seen, address))) result.push(address);
  }
  if (defaultAddress && !result.some((seen) => seen.isDefault)) result.unshift(defaultAddress);
  return result;
}

function sameAddress(a: Address, b: Address): boolean {
  if (a.addressId !== null && b.addressId !== null) return a.addressId === b.addressId;
  return contentKey(a) === contentKey(b);
}

const contentKey = (address: Address) => JSON.stringify({ ...address, addressId: null, isDefault: false });

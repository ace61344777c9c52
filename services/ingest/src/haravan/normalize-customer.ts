import { ok, customerPhone, type Address, type CustomerSnapshot, type Result } from '@cdp/contracts';
import { z } from 'zod';
import { anyField, boolField, idField, intField, listField, textField, timestampField } from './lenient';
import { joinName, normalizeAddress, parseHaravanAddress } from './normalize-address';
import { splitTags } from './tags';
import { snapshotHeader } from './snapshot-header';
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
  const record = unwrap(payload, 'customer');
  const head = snapshotHeader(record, 'customer');
  if (!head.ok) return head;
  // Cannot fail: the header found an object, and every other field is read leniently.
  const c = haravanCustomer.parse(record);
  const { id, createdAt, updatedAt } = head.value;
  const defaultAddress = parseHaravanAddress(c.default_address);
  return ok({
    customerId: id,
    createdAt,
    updatedAt,
    firstName: c.first_name,
    lastName: c.last_name,
    name: c.name ?? joinName(c.first_name, c.last_name),
    email: normalizeEmail(c.email),
    // R8: an empty customer phone, or a placeholder (0000000000), falls back to the default address's.
    phone: customerPhone(c.phone) ?? customerPhone(defaultAddress?.phone),
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

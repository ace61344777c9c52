import { normalizePhone, type Address } from '@cdp/contracts';
import { z } from 'zod';
import { anyField, idField, textField } from './lenient';

const haravanAddress = z.looseObject({
  id: idField,
  default: anyField,
  name: textField,
  first_name: textField,
  last_name: textField,
  phone: textField,
  company: textField,
  address1: textField,
  address2: textField,
  ward: textField,
  ward_code: textField,
  district: textField,
  district_code: textField,
  province: textField,
  province_code: textField,
  country: textField,
  country_code: textField,
  zip: textField,
});

export type HaravanAddress = z.infer<typeof haravanAddress>;

export function parseHaravanAddress(raw: unknown): HaravanAddress | null {
  const parsed = haravanAddress.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** One Haravan address (order or customer shape) → contract Address; null when absent or empty. */
export function normalizeAddress(raw: unknown, isDefault: boolean): Address | null {
  const a = parseHaravanAddress(raw);
  if (!a) return null;
  const address: Address = {
    addressId: a.id,
    isDefault,
    name: a.name ?? joinName(a.first_name, a.last_name),
    firstName: a.first_name,
    lastName: a.last_name,
    phone: normalizePhone(a.phone),
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    ward: a.ward,
    wardCode: a.ward_code,
    district: a.district,
    districtCode: a.district_code,
    province: a.province,
    provinceCode: a.province_code,
    country: a.country,
    // Customer addresses sometimes carry a lower-case `vn`.
    countryCode: a.country_code?.toUpperCase() ?? null,
    zip: a.zip,
  };
  const hasContent = Object.entries(address).some(([key, value]) => key !== 'isDefault' && value !== null);
  return hasContent ? address : null;
}

/** Haravan's `name` is first + last when it is not given explicitly. */
/** Vietnamese order: the family name (Haravan's last_name) comes first. */
export function joinName(first: string | null, last: string | null): string | null {
  const joined = [last, first]
    .filter((part) => part !== null)
    .join(' ')
    .trim();
  return joined === '' ? null : joined;
}

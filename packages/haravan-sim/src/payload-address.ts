import type { SimAddress } from './model.js';

export function fullName(first: string, last: string): string {
  // Vietnamese order: family name (last_name in Haravan) first.
  return [last, first].filter((part) => part.length > 0).join(' ');
}

export function addressPayload(address: SimAddress, withCustomerFields: boolean): Record<string, unknown> {
  return {
    ...(withCustomerFields ? { id: address.id, default: address.isDefault } : {}),
    first_name: address.firstName,
    last_name: address.lastName,
    name: fullName(address.firstName, address.lastName),
    phone: address.phone,
    address1: address.address1,
    address2: address.address2,
    city: address.province,
    company: address.company,
    country: 'Vietnam',
    country_code: address.countryCode,
    province: address.province,
    province_code: address.provinceCode,
    district: address.district,
    district_code: address.districtCode,
    ward: address.ward,
    ward_code: address.wardCode,
    zip: address.zip,
    latitude: null,
    longitude: null,
  };
}

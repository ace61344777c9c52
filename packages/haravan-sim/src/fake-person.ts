import type { AddressInput } from './model.js';
import type { PhoneStyle } from './phone.js';
import { formatPhone } from './phone.js';
import type { Rng } from './prng.js';
import { FAMILY_NAMES, GIVEN_NAMES, MIDDLE_NAMES, PROVINCES, STREETS } from './vietnam-data.js';

export interface FakePerson {
  /** Haravan's first_name holds the middle + given name, last_name the family name. */
  firstName: string;
  lastName: string;
  /** 9-digit national number without the leading 0. */
  phoneNational: string;
}

export function fakePerson(rng: Rng): FakePerson {
  const prefix = rng.pick(['9', '8', '7', '3', '5'] as const);
  let digits = '';
  for (let i = 0; i < 8; i++) digits += String(rng.int(0, 9));
  return {
    firstName: `${rng.pick(MIDDLE_NAMES)} ${rng.pick(GIVEN_NAMES)}`,
    lastName: rng.pick(FAMILY_NAMES),
    phoneNational: `${prefix}${digits}`,
  };
}

export function fakePhone(rng: Rng, national: string): string {
  const style: PhoneStyle = rng.pick(['local', 'local', 'local', 'plus84', 'bare84'] as const);
  return formatPhone(national, style);
}

function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

export function fakeEmail(rng: Rng, person: Pick<FakePerson, 'firstName' | 'lastName'>): string {
  const domain = rng.pick(['gmail.com', 'gmail.com', 'yahoo.com.vn', 'outlook.com'] as const);
  return `${asciiSlug(person.firstName)}.${asciiSlug(person.lastName)}${rng.int(1, 9999)}@${domain}`;
}

export function fakeAddress(
  rng: Rng,
  person: Pick<FakePerson, 'firstName' | 'lastName'>,
  phone: string | null,
): AddressInput {
  const province = rng.pick(PROVINCES);
  const district = rng.pick(province.districts);
  const ward = rng.pick(district.wards);
  return {
    firstName: person.firstName,
    lastName: person.lastName,
    phone,
    address1: `${rng.int(1, 299)} ${rng.pick(STREETS)}`,
    address2: rng.chance(0.2) ? `Lầu ${rng.int(2, 12)}` : null,
    company: null,
    province: province.name,
    provinceCode: province.code,
    district: district.name,
    districtCode: district.code,
    ward: ward.name,
    wardCode: ward.code,
    countryCode: rng.chance(0.3) ? 'vn' : 'VN',
    zip: null,
  };
}

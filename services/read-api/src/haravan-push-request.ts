import { customerUpdateRequest, type HaravanRequest } from '@cdp/commands';
import type { Address } from '@cdp/contracts';
import type { CustomerDoc } from '@cdp/read-models';

/** What a CDP service may change when it pushes a customer (R22); unset fields keep the profile's. */
export interface CustomerEdits {
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  facebookUrl?: string | undefined;
}

/** Haravan has no field for it (R22): the Facebook link is one line of the customer's note. */
export const FACEBOOK_NOTE_PREFIX = 'Facebook: ';

/** The note with its Facebook line set to `url`, every other line kept. */
export function noteWithFacebook(note: string | null, url: string | undefined): string | null {
  if (url === undefined) return note;
  const others = (note ?? '')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith(FACEBOOK_NOTE_PREFIX));
  return [...others, `${FACEBOOK_NOTE_PREFIX}${url}`].join('\n');
}

/** "Nguyễn Văn An" → last "Nguyễn Văn", first "An": the inverse of how Haravan's names are joined. */
export function splitName(name: string): { first_name: string; last_name: string | null } {
  const parts = name.trim().split(/\s+/);
  const first = parts.pop() ?? '';
  return { first_name: first, last_name: parts.length > 0 ? parts.join(' ') : null };
}

const pushAddress = (a: Address) => ({
  first_name: a.firstName,
  last_name: a.lastName,
  phone: a.phone,
  address1: a.address1,
  address2: a.address2,
  company: a.company,
  province: a.province,
  province_code: a.provinceCode,
  district: a.district,
  district_code: a.districtCode,
  ward: a.ward,
  ward_code: a.wardCode,
  zip: a.zip,
  default: a.isDefault,
});

/** The Haravan customer fields a push's edits change (an update's whole body). */
export const editedFields = (profile: CustomerDoc, edits: CustomerEdits): Record<string, unknown> => ({
  ...(edits.name !== undefined && splitName(edits.name)),
  ...(edits.email !== undefined && { email: edits.email }),
  ...(edits.phone !== undefined && { phone: edits.phone }),
  ...(edits.facebookUrl !== undefined && { note: noteWithFacebook(profile.note, edits.facebookUrl) }),
});

/**
 * The create or update that makes Haravan's customer match the CDP's: a profile with a Haravan id
 * (its own, or the one an earlier push linked it to) is updated with the fields the push changes,
 * any other contact is created whole. An update sends nothing else: the rest of the profile came
 * from Haravan, except what the CDP derived (a phone taken from the default address, R8), which is
 * not the customer's own and may be another customer's.
 */
export function customerPushRequest(
  profile: CustomerDoc,
  haravanId: string | null,
  edits: CustomerEdits,
): HaravanRequest {
  if (haravanId !== null) return customerUpdateRequest(haravanId, editedFields(profile, edits));
  const names =
    edits.name !== undefined
      ? splitName(edits.name)
      : profile.firstName !== null || profile.lastName !== null || profile.name === null
        ? { first_name: profile.firstName, last_name: profile.lastName }
        : splitName(profile.name);
  const customer = {
    ...names,
    email: edits.email ?? profile.email,
    phone: edits.phone ?? profile.phone,
    note: noteWithFacebook(profile.note, edits.facebookUrl),
  };
  return {
    method: 'POST',
    path: 'customers.json',
    topic: 'customers/create',
    body: { customer: { ...customer, addresses: profile.addresses.map(pushAddress) } },
  };
}

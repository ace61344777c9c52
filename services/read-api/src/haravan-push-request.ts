import { customerUpdateRequest, noteWithFacebook, type HaravanRequest } from '@cdp/commands';
import type { Address } from '@cdp/contracts';
import type { CustomerDoc } from '@cdp/read-models';

/** What a CDP service may change when it pushes a customer (R22); unset fields keep the profile's. */
export interface CustomerEdits {
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  facebookUrl?: string | undefined;
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

/**
 * The Haravan customer fields a push's edits change (an update's whole body). Not the note: the
 * Facebook link is set in the note Haravan has when the update is sent (`PushCommandDoc.facebookUrl`),
 * as neither a receiver's profile (none) nor the CDP's copy (maybe stale) has the merchant's note.
 */
export const editedFields = (edits: CustomerEdits): Record<string, unknown> => ({
  ...(edits.name !== undefined && splitName(edits.name)),
  ...(edits.email !== undefined && { email: edits.email }),
  ...(edits.phone !== undefined && { phone: edits.phone }),
});

/**
 * The create or update that makes Haravan's customer match the CDP's: a profile with a Haravan id
 * (its own, or the one an earlier push linked it to) is updated with the fields the push changes
 * (its Facebook link set when sent), any other contact is created whole. An update sends nothing
 * else: the rest of the profile came from Haravan, except what the CDP derived (a phone taken from
 * the default address, R8), which is not the customer's own and may be another customer's.
 */
export function customerPushRequest(
  profile: CustomerDoc,
  haravanId: string | null,
  edits: CustomerEdits,
): HaravanRequest {
  if (haravanId !== null) return customerUpdateRequest(haravanId, editedFields(edits));
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

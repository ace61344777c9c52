import { normalizePhone } from './phone.js';

export function normalizeName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

export interface PersonRef {
  name: string;
  phone: string | null;
}

/**
 * R12 "names a different person": when both sides carry a phone, the phone decides (same number,
 * same person, however the name is spelled); otherwise the normalised name decides.
 */
export function isDifferentPerson(receiver: PersonRef, buyer: PersonRef): boolean {
  const receiverPhone = normalizePhone(receiver.phone);
  const buyerPhone = normalizePhone(buyer.phone);
  if (receiverPhone && buyerPhone) return receiverPhone !== buyerPhone;
  return normalizeName(receiver.name) !== normalizeName(buyer.name);
}

/** R12: receivers are keyed by normalised phone, then by name when there is no phone. */
export function receiverKey(receiver: PersonRef): string {
  const phone = normalizePhone(receiver.phone);
  return phone ? `phone:${phone}` : `name:${normalizeName(receiver.name)}`;
}

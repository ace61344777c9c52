import { COMMAND_ID_ATTRIBUTE, type PushCommandDoc } from '@cdp/commands';
import { normalizePhone } from '@cdp/contracts';
import { searchableText } from '@cdp/read-models';
import { toText } from '../haravan/lenient';
import { isRecord } from '../haravan/unwrap';

type Listed = Record<string, unknown>;

const emailOf = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : null;
// As names compare elsewhere: Haravan may keep a name in another Unicode form or case than pushed.
const nameOf = (value: unknown) => {
  const text = toText(value);
  return text === null ? null : searchableText(text);
};
const phoneOf = (value: unknown) => (typeof value === 'string' ? normalizePhone(value) : null);

const markedWith = (commandId: string) => (listed: Listed) =>
  Array.isArray(listed['note_attributes']) &&
  listed['note_attributes'].some(
    (a) => isRecord(a) && a['name'] === COMMAND_ID_ATTRIBUTE && a['value'] === commandId,
  );

/**
 * How to tell, among what Haravan lists, the resource a create (POST) made, for when its answer
 * was lost (Haravan has no idempotency key): a customer by everything pushed of email, phone and
 * names (a customer someone else made meanwhile with the same phone is not taken for it: R6 has
 * phones shared between customers); an order by its command's mark. null when nothing
 * identifies it, such as a customer pushed with neither email nor phone.
 */
export function madeByCreate(doc: PushCommandDoc): ((listed: Listed) => boolean) | null {
  if (doc.request.method !== 'POST') return null;
  if (doc.kind === 'order') return markedWith(doc.commandId);
  const pushed = doc.request.body['customer'];
  if (!isRecord(pushed)) return null;
  const email = emailOf(pushed['email']);
  const phone = phoneOf(pushed['phone']);
  if (email === null && phone === null) return null;
  // The names pushed too: with a phone alone, someone else's customer of that phone is told apart.
  const names = (['first_name', 'last_name'] as const).flatMap((field) => {
    const name = nameOf(pushed[field]);
    return name === null ? [] : [[field, name] as const];
  });
  return (listed) =>
    (email === null || emailOf(listed['email']) === email) &&
    (phone === null || phoneOf(listed['phone']) === phone) &&
    names.every(([field, name]) => nameOf(listed[field]) === name);
}

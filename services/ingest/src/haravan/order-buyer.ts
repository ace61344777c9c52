import { customerPhone, type OrderSnapshot } from '@cdp/contracts';
import { z } from 'zod';
import { anyField, idField, textField } from './lenient';
import { joinName, parseHaravanAddress } from './normalize-address';
import { normalizeEmail } from './normalize-customer';
import { parseTimestamp } from './timestamp';
import { isRecord } from './unwrap';

type OrderBuyer = NonNullable<OrderSnapshot['buyer']>;

const embeddedCustomer = z.looseObject({
  id: idField,
  name: textField,
  first_name: textField,
  last_name: textField,
  email: textField,
  phone: textField,
  default_address: anyField,
});

/** R11: the buyer is the order's Haravan customer; POS walk-ins have none (null, or no id). */
export function orderBuyer(rawCustomer: unknown): OrderBuyer | null {
  const parsed = embeddedCustomer.safeParse(rawCustomer);
  if (!parsed.success) return null;
  const c = parsed.data;
  if (c.id === null) return null;
  return {
    customerId: c.id,
    name: c.name ?? joinName(c.first_name, c.last_name),
    email: normalizeEmail(c.email),
    // R8: fall back to the default address's phone when the customer's is empty or a placeholder.
    phone: customerPhone(c.phone) ?? customerPhone(parseHaravanAddress(c.default_address)?.phone),
  };
}

/**
 * The embedded customer's `updated_at`: Haravan embeds the customer as it is now, so a retried or
 * polled copy of the same order version can carry an older buyer than one already seen.
 */
export function embeddedCustomerVersion(rawCustomer: unknown): string | null {
  return isRecord(rawCustomer) ? parseTimestamp(rawCustomer['updated_at']) : null;
}

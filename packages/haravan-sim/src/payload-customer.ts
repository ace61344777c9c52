import { jsonMoney } from './haravan-json.js';
import type { SimCustomer } from './model.js';
import { addressPayload, fullName } from './payload-address.js';

export function customerPayload(customer: SimCustomer): Record<string, unknown> {
  const defaultAddress = customer.addresses.find((a) => a.isDefault) ?? null;
  return {
    id: customer.id,
    email: customer.email,
    first_name: customer.firstName,
    last_name: customer.lastName,
    name: fullName(customer.firstName, customer.lastName),
    phone: customer.phone,
    accepts_marketing: customer.acceptsMarketing,
    verified_email: customer.email !== null,
    note: customer.note,
    tags: customer.tags,
    gender: customer.gender,
    birthday: customer.birthday,
    state: 'Disabled',
    group_name: null,
    multipass_identifier: null,
    orders_count: customer.ordersCount,
    total_spent: jsonMoney(customer.totalSpent, 'fixed4'),
    total_paid: jsonMoney(customer.totalSpent, 'fixed4'),
    last_order_id: customer.lastOrder?.id ?? null,
    last_order_name: customer.lastOrder?.name ?? null,
    last_order_date: customer.lastOrder?.date ?? null,
    addresses: customer.addresses.map((a) => addressPayload(a, true)),
    default_address: defaultAddress ? addressPayload(defaultAddress, true) : null,
    created_at: customer.createdAt.text,
    updated_at: customer.updatedAt.text,
  };
}

import { fakeAddress, fakeEmail, fakePerson, fakePhone } from './fake-person.js';
import type { AddressInput, SimAddress, SimCustomer } from './model.js';
import type { ShopCore } from './shop-core.js';

export interface AddressPatch extends Partial<AddressInput> {
  isDefault?: boolean;
}

/** Missing fields are made up; an explicit null stays null (e.g. a customer without a phone). */
export interface CustomerInput {
  firstName?: string;
  lastName?: string;
  email?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string | null;
  gender?: 0 | 1 | null;
  birthday?: string | null;
  acceptsMarketing?: boolean;
  /** The first one is the default unless another says `isDefault: true`; [] means none. */
  addresses?: AddressPatch[];
}

export type CustomerPatch = Omit<CustomerInput, 'addresses'>;

/** Order addresses have no default flag. */
export function withoutDefault(patch: AddressPatch): Partial<AddressInput> {
  const fields: AddressPatch = { ...patch };
  delete fields.isDefault;
  return fields;
}

/** A patch leaves fields it does not mention alone. */
export function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function requireCustomer(core: ShopCore, id: number): SimCustomer {
  const customer = core.customers.get(id);
  if (!customer) throw new Error(`no customer ${id}`);
  return customer;
}

function buildAddress(
  core: ShopCore,
  customer: Pick<SimCustomer, 'firstName' | 'lastName' | 'phone'>,
  patch: AddressPatch,
): SimAddress {
  const base = fakeAddress(core.rng, customer, customer.phone);
  return {
    ...base,
    ...withoutDefault(patch),
    id: core.nextId('address'),
    isDefault: patch.isDefault ?? false,
  };
}

function ensureOneDefault(addresses: SimAddress[], preferred?: SimAddress): void {
  if (addresses.length === 0) return;
  const chosen = preferred ?? addresses.find((a) => a.isDefault) ?? addresses[0];
  for (const a of addresses) a.isDefault = a === chosen;
}

export function createCustomer(core: ShopCore, input: CustomerInput = {}): SimCustomer {
  const at = core.stampAt(core.beginChange());
  const person = fakePerson(core.rng);
  const firstName = input.firstName ?? person.firstName;
  const lastName = input.lastName ?? person.lastName;
  const phone = input.phone !== undefined ? input.phone : fakePhone(core.rng, person.phoneNational);
  const customer: SimCustomer = {
    id: core.nextId('customer'),
    firstName,
    lastName,
    email: input.email !== undefined ? input.email : fakeEmail(core.rng, { firstName, lastName }),
    phone,
    note: input.note ?? null,
    tags: input.tags ?? null,
    gender: input.gender !== undefined ? input.gender : core.rng.pick([0, 1, null] as const),
    birthday: input.birthday ?? null,
    acceptsMarketing: input.acceptsMarketing ?? core.rng.chance(0.4),
    addresses: [],
    createdAt: at,
    updatedAt: at,
    ordersCount: 0,
    totalSpent: 0n,
    lastOrder: null,
  };
  const addressPatches = input.addresses ?? [{}];
  customer.addresses = addressPatches.map((patch) => buildAddress(core, customer, patch));
  ensureOneDefault(customer.addresses);
  core.customers.set(customer.id, customer);
  core.emitCustomer('customers/create', customer);
  return customer;
}

function touch(core: ShopCore, customer: SimCustomer): void {
  customer.updatedAt = core.stampAt(core.beginChange(), customer.updatedAt);
  core.emitCustomer('customers/update', customer);
}

export function updateCustomer(core: ShopCore, id: number, patch: CustomerPatch): SimCustomer {
  const customer = requireCustomer(core, id);
  Object.assign(customer, definedOnly(patch));
  touch(core, customer);
  return customer;
}

export function deleteCustomer(core: ShopCore, id: number): void {
  requireCustomer(core, id);
  // Haravan, like Shopify, refuses to delete a customer who has orders.
  if ((core.ordersByCustomer.get(id)?.size ?? 0) > 0) throw new Error(`customer ${id} has orders`);
  core.customers.delete(id);
  core.emitDeleted('customers/delete', id, core.stampAt(core.beginChange()));
}

export function addCustomerAddress(core: ShopCore, customerId: number, patch: AddressPatch = {}): SimAddress {
  const customer = requireCustomer(core, customerId);
  const address = buildAddress(core, customer, patch);
  customer.addresses.push(address);
  ensureOneDefault(customer.addresses, address.isDefault ? address : undefined);
  touch(core, customer);
  return address;
}

export function editCustomerAddress(
  core: ShopCore,
  customerId: number,
  addressId: number,
  patch: AddressPatch,
): SimAddress {
  const customer = requireCustomer(core, customerId);
  const address = customer.addresses.find((a) => a.id === addressId);
  if (!address) throw new Error(`customer ${customerId} has no address ${addressId}`);
  Object.assign(address, definedOnly(withoutDefault(patch)));
  if (patch.isDefault === true) ensureOneDefault(customer.addresses, address);
  touch(core, customer);
  return address;
}

export function removeCustomerAddress(core: ShopCore, customerId: number, addressId: number): void {
  const customer = requireCustomer(core, customerId);
  customer.addresses = customer.addresses.filter((a) => a.id !== addressId);
  ensureOneDefault(customer.addresses);
  touch(core, customer);
}

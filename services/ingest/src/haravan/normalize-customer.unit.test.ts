import { customerSnapshotSchema } from '@cdp/contracts';
import { describe, expect, it } from 'vitest';
import { haravanAddress, haravanCustomer } from './haravan-payloads.fixture';
import { INVALID_PAYLOAD } from './invalid-payload';
import { normalizeCustomer } from './normalize-customer';

function normalized(payload: unknown) {
  const result = normalizeCustomer(payload);
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return customerSnapshotSchema.parse(result.value);
}

describe('normalizeCustomer', () => {
  it('given a documented customer, when normalised, then contact fields, tags, gender and state follow the contract', () => {
    expect(normalized(haravanCustomer)).toMatchObject({
      customerId: '1002318764',
      createdAt: '2020-10-22T03:37:09.000Z',
      updatedAt: '2021-10-20T14:07:45.084Z',
      firstName: 'An',
      lastName: 'Nguyễn Văn',
      name: 'Nguyễn Văn An',
      email: 'an.nguyen@example.com',
      phone: '+84333333333',
      gender: 1,
      birthday: '1990-05-01T00:00:00Z',
      tags: ['vip', 'hcm', 'sỉ'],
      acceptsMarketing: true,
      state: 'disabled',
      note: null,
    });
  });

  it('given a name cut inside an emoji, when normalised, then the half left is U+FFFD, as Avro will write it', () => {
    const cut = JSON.parse('{"last_name": "Nguyễn", "first_name": "An \\ud83d"}') as Record<string, unknown>;
    expect(normalized({ ...haravanCustomer, ...cut, name: null })).toMatchObject({ firstName: 'An \ufffd' });
  });

  it('given an empty phone and a phone on the default address, when normalised, then the default address phone is used (R8)', () => {
    expect(normalized({ ...haravanCustomer, phone: '' }).phone).toBe('+84912345678');
  });

  it('given a placeholder phone and a phone on the default address, when normalised, then the default address phone is used (R8)', () => {
    for (const phone of ['0000000000', '0123456789'])
      expect(normalized({ ...haravanCustomer, phone }).phone).toBe('+84912345678');
    const nowhere = { ...haravanCustomer, phone: '0000000000', default_address: null, addresses: [] };
    expect(normalized(nowhere).phone).toBeNull();
  });

  it('given two numbers in the phone field set apart by a space, when normalised, then the first is the phone, not the default address phone (R8)', () => {
    expect(normalized({ ...haravanCustomer, phone: '0977123456 0903111222' }).phone).toBe('+84977123456');
  });

  it.each([
    ['0912345678', '+84912345678'],
    ['+84 912 345 678', '+84912345678'],
    ['84912345678', '+84912345678'],
    ['091.234.5678', '+84912345678'],
  ])('given phone %s, when normalised, then it is %s', (phone, expected) => {
    expect(normalized({ ...haravanCustomer, phone }).phone).toBe(expected);
  });

  it('given addresses[] that repeat the default address, when normalised, then each address appears once and only the default is marked (R9)', () => {
    const { addresses } = normalized(haravanCustomer);

    expect(addresses.map((a) => [a.addressId, a.isDefault, a.phone])).toEqual([
      ['1055990385', true, '+84912345678'],
      ['1055990386', false, '+84987654321'],
    ]);
  });

  it('given a default_address missing from addresses[], when normalised, then it is added first and marked default', () => {
    const customer = { ...haravanCustomer, addresses: [haravanCustomer.addresses[1]] };

    expect(normalized(customer).addresses.map((a) => [a.addressId, a.isDefault])).toEqual([
      ['1055990385', true],
      ['1055990386', false],
    ]);
  });

  it('given no default_address, when normalised, then the address flagged `default: true` is the default', () => {
    const customer = {
      ...haravanCustomer,
      default_address: null,
      addresses: [
        { ...haravanAddress, id: 1, default: false },
        { ...haravanAddress, id: 2, default: true },
      ],
    };

    expect(normalized(customer).addresses.map((a) => a.isDefault)).toEqual([false, true]);
  });

  it('given nulls and odd types everywhere optional, when normalised, then neutral defaults are used', () => {
    const customer = normalized({
      id: 7,
      created_at: '2020-10-22T03:37:09Z',
      updated_at: '2020-10-22T03:37:09Z',
      tags: null,
      gender: 'male',
      accepts_marketing: null,
      addresses: null,
      default_address: null,
      state: null,
    });

    expect(customer).toMatchObject({
      tags: [],
      gender: null,
      acceptsMarketing: false,
      addresses: [],
      state: null,
      phone: null,
    });
  });

  it('given gender 0, when normalised, then it stays 0 (female), not null', () => {
    expect(normalized({ ...haravanCustomer, gender: 0 }).gender).toBe(0);
  });

  it.each([
    ['no id', { ...haravanCustomer, id: undefined }],
    ['no created_at', { ...haravanCustomer, created_at: null }],
    ['null', null],
  ])('given %s, when normalised, then it is an invalid-payload error', (_case, payload) => {
    const result = normalizeCustomer(payload);

    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: INVALID_PAYLOAD, retriable: false });
  });
});

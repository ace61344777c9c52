import { describe, expect, it } from 'vitest';
import type { HaravanRequest, PushCommandDoc } from '@cdp/commands';
import { madeByCreate } from './made-by-create';

const command = (kind: PushCommandDoc['kind'], request: HaravanRequest): PushCommandDoc => ({
  _id: 't:cmd-1',
  tenantId: 't',
  commandId: 'cmd-1',
  kind,
  cdpId: 'receiver:x',
  request,
  status: 'sending',
  haravanId: null,
  error: null,
  createdAt: '2026-11-30T00:00:00.000Z',
  updatedAt: '2026-11-30T00:00:00.000Z',
});

const createCustomer = (customer: Record<string, unknown>) =>
  command('customer', {
    method: 'POST',
    path: 'customers.json',
    topic: 'customers/create',
    body: { customer },
  });

describe('recognising what a create whose answer was lost made', () => {
  it('knows a customer by the pushed email, whatever its case', () => {
    const made = madeByCreate(createCustomer({ email: 'An@Example.vn', phone: null }));
    expect(made?.({ id: 1, email: 'an@example.vn' })).toBe(true);
    expect(made?.({ id: 2, email: 'binh@example.vn' })).toBe(false);
  });

  it('knows a customer pushed without an email by its phone, in any of its forms', () => {
    const made = madeByCreate(createCustomer({ first_name: 'An', phone: '0912345678' }));
    expect(made?.({ id: 1, first_name: 'An', email: null, phone: '+84912345678' })).toBe(true);
    expect(made?.({ id: 2, email: null, phone: '0912345679' })).toBe(false);
  });

  it('knows a customer pushed with both by both, not by a phone another customer has', () => {
    const made = madeByCreate(createCustomer({ email: 'an@example.vn', phone: '0912345678' }));
    expect(made?.({ id: 1, email: 'an@example.vn', phone: '+84912345678' })).toBe(true);
    expect(made?.({ id: 2, email: 'binh@example.vn', phone: '0912345678' })).toBe(false);
    expect(made?.({ id: 3, email: 'an@example.vn', phone: null })).toBe(false);
  });

  it('knows a customer pushed with a phone alone by the names pushed with it too', () => {
    const made = madeByCreate(
      createCustomer({ first_name: 'An', last_name: 'Nguyễn  Văn', phone: '0912345678' }),
    );
    expect(made?.({ id: 1, first_name: 'An', last_name: 'Nguyễn Văn', phone: '+84912345678' })).toBe(true);
    // Kept by Haravan in another Unicode form or case than pushed.
    const kept = { id: 1, first_name: 'AN', last_name: 'Nguyễn Văn'.normalize('NFD'), phone: '0912345678' };
    expect(made?.(kept)).toBe(true);
    expect(made?.({ id: 2, first_name: 'Bình', last_name: 'Trần', phone: '0912345678' })).toBe(false);
  });

  it('knows an order only by its own command mark', () => {
    const made = madeByCreate(
      command('order', { method: 'POST', path: 'orders.json', topic: 'orders/create', body: { order: {} } }),
    );
    expect(made?.({ id: 1, note_attributes: [{ name: 'cdp_command_id', value: 'cmd-1' }] })).toBe(true);
    expect(made?.({ id: 2, note_attributes: [{ name: 'cdp_command_id', value: 'cmd-2' }] })).toBe(false);
    expect(made?.({ id: 3, note_attributes: null })).toBe(false);
  });

  it('cannot tell a customer pushed with neither email nor phone, nor anything an update made', () => {
    expect(madeByCreate(createCustomer({ first_name: 'An' }))).toBeNull();
    expect(
      madeByCreate(
        command('customer', { method: 'PUT', path: 'customers/1.json', topic: 'customers/update', body: {} }),
      ),
    ).toBeNull();
  });
});

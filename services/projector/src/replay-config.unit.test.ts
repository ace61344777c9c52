import { describe, expect, it } from 'vitest';
import { parseReplayArgs } from './replay-config';

describe('pnpm replay arguments', () => {
  it('rebuilds everything and switches by default', () => {
    expect(parseReplayArgs([])).toEqual({ mode: 'rebuild', from: undefined, switch: true, restart: false });
  });

  it('refuses to switch to a generation built from a timestamp, which lacks the history before it', () => {
    expect(() => parseReplayArgs(['--from', '2026-11-01T00:00:00Z'])).toThrow(/add --no-switch/);
  });

  it('rebuilds from a timestamp without switching', () => {
    expect(parseReplayArgs(['--from', '2026-11-01T00:00:00Z', '--no-switch'])).toMatchObject({
      mode: 'rebuild',
      from: '2026-11-01T00:00:00Z',
      switch: false,
    });
  });

  it('rebuilds one customer by their Haravan id', () => {
    expect(parseReplayArgs(['--customer', 'shop1:1000123'])).toEqual({
      mode: 'customer',
      tenantId: 'shop1',
      customerId: '1000123',
    });
  });

  it('refuses a receiver, whose contact comes from orders shipped to it: rebuilt alone it would be removed', () => {
    expect(() => parseReplayArgs(['--customer', 'shop1:receiver:abc'])).toThrow(
      /receiver[\s\S]*usage: pnpm replay/,
    );
  });

  it('rejects a bad timestamp, an unknown option or a customer without tenant or id, with the usage', () => {
    expect(() => parseReplayArgs(['--from', 'yesterday'])).toThrow(/usage: pnpm replay/);
    expect(() => parseReplayArgs(['--fast'])).toThrow(/unknown option --fast/);
    expect(() => parseReplayArgs(['--customer', 'shop1'])).toThrow(/at customerId[\s\S]*usage: pnpm replay/);
    expect(() => parseReplayArgs(['--customer'])).toThrow(/at tenantId[\s\S]*usage: pnpm replay/);
  });
});

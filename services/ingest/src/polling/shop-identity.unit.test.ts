import { describe, expect, it } from 'vitest';
import { AppError, err, ok, type Result } from '@cdp/contracts';
import { createLogger } from '@cdp/logging';
import { createShopIdentity } from './shop-identity';

const DELAY = 1000;

/** An identity of the tenant of org 42 whose shop.json gives `answers` in turn; `asked` counts the calls. */
function identityOf(...answers: Result<string>[]) {
  const clock = { ms: 0 };
  const state = { asked: 0 };
  const identity = createShopIdentity({
    client: {
      shop: () => {
        const answer = answers[Math.min(state.asked, answers.length - 1)];
        state.asked += 1;
        return Promise.resolve(answer ?? ok('42'));
      },
    },
    orgId: '42',
    failureDelayMs: DELAY,
    now: () => clock.ms,
    log: createLogger('shop-identity-test', 'silent'),
  });
  return { identity, clock, state };
}

const unreachable = err(new AppError('ERR_HARAVAN_UNAVAILABLE', 'GET shop.json: 503', true));

describe('confirming that the credentials open the tenant’s shop', () => {
  it('refuses credentials that open another shop, naming both shops', async () => {
    const { identity } = identityOf(ok('77'));
    const confirmed = await identity.confirm();
    expect(confirmed.ok).toBe(false);
    if (confirmed.ok) return;
    expect(confirmed.error).toMatchObject({ code: 'ERR_HARAVAN_WRONG_SHOP', retriable: false });
    expect(confirmed.error.message).toContain('shop 77');
    expect(confirmed.error.message).toContain('shop 42');
  });

  it('asks once and remembers the shop is the tenant’s', async () => {
    const { identity, clock, state } = identityOf(ok('42'));
    expect((await identity.confirm()).ok).toBe(true);
    clock.ms += 10 * DELAY;
    expect((await identity.confirm()).ok).toBe(true);
    expect(state.asked).toBe(1);
  });

  it('gives a failure as it is until the failure delay has passed, then asks again', async () => {
    const { identity, clock, state } = identityOf(unreachable, ok('42'));
    expect(await identity.confirm()).toBe(unreachable);
    clock.ms += DELAY - 1;
    expect(await identity.confirm()).toBe(unreachable);
    expect(state.asked).toBe(1);
    clock.ms += 1;
    expect((await identity.confirm()).ok).toBe(true);
    expect(state.asked).toBe(2);
  });

  it('lets a token Haravan does not let read shop.json poll unchecked, rather than not at all', async () => {
    for (const code of ['ERR_HARAVAN_FORBIDDEN', 'ERR_HARAVAN_NOT_FOUND']) {
      const { identity, state } = identityOf(err(new AppError(code, 'GET shop.json', false)));
      expect((await identity.confirm()).ok).toBe(true);
      expect((await identity.confirm()).ok).toBe(true);
      expect(state.asked).toBe(1);
    }
  });

  it('asks once for callers who confirm at the same time', async () => {
    const { identity, state } = identityOf(ok('42'));
    const all = await Promise.all([identity.confirm(), identity.confirm(), identity.confirm()]);
    expect(all.every((confirmed) => confirmed.ok)).toBe(true);
    expect(state.asked).toBe(1);
  });
});

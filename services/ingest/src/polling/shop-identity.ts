import { AppError, err, ok, type Result } from '@cdp/contracts';
import type { Logger } from '@cdp/logging';
import { HARAVAN_ERRORS, type HaravanClient } from './haravan-client';

export interface ShopIdentityDeps {
  client: Pick<HaravanClient, 'shop'>;
  /** The tenant's Haravan org id, which is the id of its shop. */
  orgId: string;
  /** How long a failure is given to callers before shop.json is asked again. */
  failureDelayMs: number;
  now: () => number;
  log: Logger;
}

export interface ShopIdentity {
  /**
   * Ok when the credentials open the tenant's own shop. Another shop's token would have its
   * records filed as the tenant's (and the tenant's own taken for deleted), and pushes written
   * into it. Ok is remembered: new credentials get a new scheduler, hence a new identity.
   */
  confirm(): Promise<Result<void>>;
}

/** Whether one set of credentials opens the tenant's shop, asked of Haravan once for all its callers. */
export function createShopIdentity(deps: ShopIdentityDeps): ShopIdentity {
  let confirmed = false;
  let asking: Promise<Result<void>> | null = null;
  let failed: { result: Result<void>; atMs: number } | null = null;

  async function ask(): Promise<Result<void>> {
    const shop = await deps.client.shop();
    // Haravan documents no scope for shop.json: a token it does not let read it polls as before,
    // unchecked, rather than not at all.
    if (
      !shop.ok &&
      (shop.error.code === HARAVAN_ERRORS.forbidden || shop.error.code === HARAVAN_ERRORS.notFound)
    ) {
      deps.log.warn(
        { code: shop.error.code, orgId: deps.orgId },
        "shop.json not readable with this token: the shop is not checked against the tenant's org id",
      );
      return ok(undefined);
    }
    if (!shop.ok) return shop;
    if (shop.value === deps.orgId) return ok(undefined);
    return err(
      new AppError(
        HARAVAN_ERRORS.wrongShop,
        `the access token opens Haravan shop ${shop.value}, not the tenant's shop ${deps.orgId}: ` +
          `set shop ${deps.orgId}'s own access token`,
        false,
      ),
    );
  }

  return {
    confirm() {
      if (confirmed) return Promise.resolve(ok(undefined));
      // Every runner of the shop asks on each step: a failure is not asked again at once.
      if (failed && deps.now() - failed.atMs < deps.failureDelayMs) return Promise.resolve(failed.result);
      asking ??= ask()
        .then((result) => {
          if (result.ok) confirmed = true;
          else failed = { result, atMs: deps.now() };
          return result;
        })
        .finally(() => {
          asking = null;
        });
      return asking;
    },
  };
}

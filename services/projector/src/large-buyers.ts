import { oncePer } from '@cdp/contracts';
import type { Logger } from '@cdp/logging';

/**
 * Orders listed on one buyer past which the projector warns: each is an entry of about 100 bytes in
 * one of the buyer's 64 shards (`entry-shards.ts`), so this is ~5 MB a shard of MongoDB's 16 MiB
 * document limit (README, Known limits), and every change of that buyer reads and writes that much.
 */
export const LARGE_BUYER_ORDERS = 3_000_000;

/** A large buyer is told of at most this often, per buyer. */
const WARN_EVERY_MS = 60 * 60_000;

export interface LargeBuyers {
  /** A buyer written with `orders` orders listed. */
  seen: (tenantId: string, buyerId: string, orders: number) => void;
  /** The most orders written on one buyer since the process started. */
  largest: () => number;
}

/** Watches buyers' order counts as they are written, to warn long before a profile is too large to write. */
export function createLargeBuyers(
  log: Pick<Logger, 'warn'>,
  opts: { warnAt?: number; now?: () => number } = {},
): LargeBuyers {
  const warnAt = opts.warnAt ?? LARGE_BUYER_ORDERS;
  const worthTelling = oncePer(WARN_EVERY_MS, opts.now);
  let largest = 0;
  return {
    seen(tenantId, buyerId, orders) {
      largest = Math.max(largest, orders);
      if (orders >= warnAt && worthTelling(`${tenantId}/${buyerId}`))
        log.warn(
          { tenantId, buyerId, orders },
          "a buyer lists so many orders their entries' shards near MongoDB's 16 MiB document limit (about 9 million orders; README, Known limits)",
        );
    },
    largest: () => largest,
  };
}

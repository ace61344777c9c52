import type { Rng } from './prng.js';

export type IdKind =
  | 'customer'
  | 'address'
  | 'product'
  | 'variant'
  | 'order'
  | 'lineItem'
  | 'transaction'
  | 'refund'
  | 'fulfillment';

/** Haravan-sized ids (~10^9), increasing with gaps, so `since_id` works and ids look real. */
const BASES: Record<IdKind, number> = {
  customer: 1_036_487_000,
  address: 1_104_210_000,
  product: 1_017_829_000,
  variant: 1_039_540_000,
  order: 1_138_637_000,
  lineItem: 1_168_120_000,
  transaction: 1_200_450_000,
  refund: 1_250_300_000,
  fulfillment: 1_280_770_000,
};

export type IdAllocator = (kind: IdKind) => number;

export function createIdAllocator(rng: Rng): IdAllocator {
  const last = new Map<IdKind, number>();
  return (kind) => {
    const next = (last.get(kind) ?? BASES[kind]) + rng.int(1, 37);
    last.set(kind, next);
    return next;
  };
}

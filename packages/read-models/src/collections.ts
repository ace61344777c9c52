/**
 * Read-model collection names. A rebuild writes into a suffixed copy (e.g. `orders_v2`) while the
 * live one keeps serving, then the read side switches to it.
 */
export type ReadModelCollections = {
  orders: string;
  customers: string;
  /** Entries of buyers with too many orders to list on their profile, in shards (`buyer-entries.ts`). */
  buyerEntries: string;
  products: string;
  progress: string;
  parkedEvents: string;
  parkedKeys: string;
  receipts: string;
  logRefusals: string;
};

export const collectionsFor = (suffix = ''): ReadModelCollections => ({
  orders: `orders${suffix}`,
  customers: `customers${suffix}`,
  buyerEntries: `buyer_entries${suffix}`,
  products: `products${suffix}`,
  progress: `projection_progress${suffix}`,
  parkedEvents: `parked_events${suffix}`,
  parkedKeys: `parked_keys${suffix}`,
  receipts: `projector_receipts${suffix}`,
  logRefusals: `projector_log_refusals${suffix}`,
});

export const defaultCollections = collectionsFor();

import type { PolledResource } from '@cdp/contracts';
import type { HaravanResource } from '../haravan/topic-catalog';

export interface ResourceSpec {
  /** Singular name, as used in raw record keys. */
  singular: HaravanResource;
  /** The topic a polled snapshot is filed under: the "current snapshot" meaning of a webhook. */
  haravanTopic: string;
  /** The topic a deletion found by the sweep is filed under, as its webhook would be. */
  deletionTopic: string;
  /** Filters every list and count call needs. */
  baseQuery: Record<string, string>;
  /** Whether the list honours `order=updated_at …`: Haravan documents it for orders only. */
  sorts: boolean;
}

export const RESOURCE_SPECS: Readonly<Record<PolledResource, ResourceSpec>> = {
  // Haravan lists only open orders by default; cancelled and closed ones change payment status too.
  orders: {
    singular: 'order',
    haravanTopic: 'orders/updated',
    deletionTopic: 'orders/delete',
    baseQuery: { status: 'any' },
    sorts: true,
  },
  customers: {
    singular: 'customer',
    haravanTopic: 'customers/update',
    deletionTopic: 'customers/delete',
    baseQuery: {},
    sorts: false,
  },
  products: {
    singular: 'product',
    haravanTopic: 'products/update',
    deletionTopic: 'products/deleted',
    baseQuery: {},
    sorts: false,
  },
};

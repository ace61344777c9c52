import type { Address } from '@cdp/contracts';
import type { ByPolicy } from './revenue-policy';
import type { Position } from './position';

/**
 * One CDP contact. Buyers are keyed by Haravan id (R6, R7: never merged by phone); receivers (R12)
 * have no Haravan id and are keyed by normalised phone, then name. Revenue and order count are
 * derived from the buyer's orders' latest states, never accumulated.
 */
export interface CustomerDoc {
  _id: string;
  tenantId: string;
  customerId: string;
  haravanId: string | null;
  isBuyer: boolean;
  source: 'Haravan';
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  emailLower: string | null;
  nameLower: string | null;
  /** E.164 (+84…); R8: falls back to the default address's phone. */
  phone: string | null;
  gender: number | null;
  birthday: string | null;
  tags: string[];
  acceptsMarketing: boolean;
  state: string | null;
  note: string | null;
  addresses: Address[];
  createdAt: string | null;
  updatedAt: string | null;
  deleted: boolean;
  /** Revenue under each revenue policy; the tenant's setting picks the one shown. */
  revenueByPolicy: ByPolicy;
  totalOrders: number;
  /** Receivers only: creation time of the order whose shipping address the contact shows. */
  receiverSince?: string;
  /** Position of the last customer event applied (profile fields). */
  position: Position | null;
}

export const customerDocId = (tenantId: string, customerId: string) => `${tenantId}:${customerId}`;

/** Receivers have no Haravan id; their public id comes from their key, so it survives rebuilds. */
export const receiverIdOf = (receiverKey: string): string =>
  `receiver:${Buffer.from(receiverKey).toString('base64url')}`;

/**
 * A write to Haravan asked for by a CDP service (R22, R23). The read API accepts it with the
 * request already built from the CDP's record; ingest sends it through the shop's bucket, the
 * one place that may call the shop, and records the outcome here.
 */
export type PushKind = 'customer' | 'order';

/** `sending` is shown as pending: the call may be in flight. */
export type PushStatus = 'pending' | 'sending' | 'succeeded' | 'failed';

export interface HaravanRequest {
  method: 'POST' | 'PUT';
  /** Under `/com/`, e.g. `customers.json` or `customers/123.json`. */
  path: string;
  body: Record<string, unknown>;
  /** The webhook topic whose body is the resource Haravan answers with (kept in the raw log). */
  topic: 'customers/create' | 'customers/update' | 'orders/create';
}

/** The update of Haravan customer `haravanId` with `fields` (Haravan's names), only those. */
export const customerUpdateRequest = (
  haravanId: string,
  fields: Record<string, unknown>,
): HaravanRequest => ({
  method: 'PUT',
  path: `customers/${haravanId}.json`,
  topic: 'customers/update',
  body: { customer: fields },
});

/** The Haravan customer an update (`customerUpdateRequest`) is sent to; null for any other request. */
export const updatedCustomerId = (request: HaravanRequest): string | null =>
  request.method === 'PUT' ? (/^customers\/([^/]+)\.json$/.exec(request.path)?.[1] ?? null) : null;

export interface PushCommandDoc {
  _id: string;
  tenantId: string;
  commandId: string;
  kind: PushKind;
  /** The CDP record pushed: a customer's id, or for an order the command itself. */
  cdpId: string;
  request: HaravanRequest;
  /**
   * A customer create's own edits, as the update body it stands for once the contact is linked to
   * a Haravan customer by an earlier push accepted before it was sent; absent on older commands.
   */
  linkedUpdate?: Record<string, unknown>;
  /**
   * A customer push's Facebook link (R22). An update sets it as the Facebook line of the note
   * Haravan has when it is sent (`noteWithFacebook`), so the merchant's note as it is then is
   * kept: its body has no note. A create has it in its body's note already. Absent on older
   * commands, whose bodies carry the whole note.
   */
  facebookUrl?: string;
  /** A digest of the client's request that came with an `Idempotency-Key`; absent on older commands. */
  requestFingerprint?: string;
  status: PushStatus;
  /** Sends given back after an answer Haravan surely did not act on; absent means none. */
  attempts?: number;
  /**
   * `pending`: not sent again before this time. `sending` with `unknownSince`: when Haravan is
   * next looked at for what the create made.
   */
  notBefore?: string;
  /**
   * `sending`: when the call to Haravan was started; null while it was not (a sender stopped
   * before it sent nothing); absent on commands claimed by an earlier version.
   */
  callingAt?: string | null;
  /** `sending`: the sender that claimed it, the only one that may start its call. */
  claimedBy?: string;
  /** A create whose answer was lost: since when its outcome is unknown (it stays `sending`). */
  unknownSince?: string;
  haravanId: string | null;
  error: { code: string; message: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** A CDP contact that became a Haravan customer by a push (R24): the profile it now lives in. */
export interface CustomerLinkDoc {
  _id: string;
  tenantId: string;
  cdpId: string;
  haravanId: string;
  commandId: string;
}

/**
 * The `note_attributes` entry an order pushed by a command carries: Haravan has no idempotency
 * key, so after a lost answer the order it made is found by this mark.
 */
export const COMMAND_ID_ATTRIBUTE = 'cdp_command_id';

export const commandDocId = (tenantId: string, commandId: string) => `${tenantId}:${commandId}`;
export const linkDocId = (tenantId: string, cdpId: string) => `${tenantId}:${cdpId}`;

/** MongoDB's duplicate-key code; FerretDB reports it too, which makes inserts idempotent. */
export const isDuplicateKey = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;

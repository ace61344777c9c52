import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal data hashes equal whatever order its keys were built in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

export const fingerprintOf = (value: unknown): string => sha256Hex(canonicalJson(value));

/** 64 bits are plenty to tell one field's value from its previous one. */
export const shortHash = (value: unknown): string => fingerprintOf(value).slice(0, 16);

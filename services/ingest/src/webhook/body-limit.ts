import { MAX_RECORD_BYTES } from '@cdp/kafka';

/** The largest webhook body a raw record carries with room for its headers, and a dead-letter reason if parked. */
export const MAX_WEBHOOK_BODY_BYTES = MAX_RECORD_BYTES - 1024 * 1024;

const UNITS = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 } as const;

/** A size in express's body-parser syntax (`512kb`, `1mb`, 1024-based), in bytes; null if it is not one. */
export function bytesOf(size: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(size);
  if (!match) return null;
  const unit = (match[2]?.toLowerCase() ?? 'b') as keyof typeof UNITS;
  return Math.floor(Number(match[1]) * UNITS[unit]);
}

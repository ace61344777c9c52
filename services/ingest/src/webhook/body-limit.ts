import { MAX_RECORD_BYTES } from '@cdp/kafka';

/** The largest webhook body a raw record carries with room for its headers, and a dead-letter reason if parked. */
export const MAX_WEBHOOK_BODY_BYTES = MAX_RECORD_BYTES - 1024 * 1024;

const UNITS = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 } as const;

/**
 * A size in express's body-parser syntax (`512kb`, `1 mb`, 1024-based), in bytes; null if it is not
 * one. Stricter than the parser (package `bytes`), which reads what it cannot (` 1mb`, `1m`) as a
 * bare number of bytes: 1.
 */
export function bytesOf(size: string): number | null {
  const match = /^(\d+(?:\.\d+)?) *(b|kb|mb|gb)?$/i.exec(size);
  if (!match) return null;
  const unit = (match[2]?.toLowerCase() ?? 'b') as keyof typeof UNITS;
  return Math.floor(Number(match[1]) * UNITS[unit]);
}

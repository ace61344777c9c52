export interface CallLimit {
  used: number;
  capacity: number;
}

export const CALL_LIMIT_HEADER = 'x-haravan-api-call-limit';

/** `X-Haravan-Api-Call-Limit: 32/80` → { used: 32, capacity: 80 }; null when absent or malformed. */
export function parseCallLimit(value: string | null | undefined): CallLimit | null {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value ?? '');
  if (!match) return null;
  const used = Number(match[1]);
  const capacity = Number(match[2]);
  return capacity > 0 ? { used, capacity } : null;
}

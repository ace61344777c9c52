/**
 * Webhook bodies are the bare resource, REST responses wrap it (`{"order": {...}}`); a record
 * without its own `id` but with the wrapper key is unwrapped so both shapes are accepted.
 */
export function unwrap(payload: unknown, wrapperKey: string): unknown {
  if (!isRecord(payload) || 'id' in payload) return payload;
  const inner = payload[wrapperKey];
  return isRecord(inner) ? inner : payload;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Haravan timestamps vary in fraction digits (`.1Z`, `.19Z`, `.062Z`, none) and some lack the zone
 * (product images); a missing zone means UTC. The result is always `toISOString()` form.
 */
const ISO =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2}))?(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export function parseTimestamp(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const match = ISO.exec(input.trim());
  if (!match) return null;
  const [, date, hm = '00:00', seconds = '00', fraction = '', zone = 'Z'] = match;
  // Date only understands up to milliseconds; extra digits are truncated, missing ones padded.
  const millis = fraction.slice(0, 3).padEnd(3, '0');
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : normalizeOffset(zone);
  const parsed = new Date(`${date}T${hm}:${seconds}.${millis}${offset}`);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

function normalizeOffset(zone: string): string {
  const digits = zone.slice(1).replace(':', '').padEnd(4, '0');
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4)}`;
}

/** The instant in ms, read as `parseTimestamp` reads it (a missing zone is UTC, not this host's). */
export function timestampMs(input: unknown): number | null {
  const parsed = parseTimestamp(input);
  return parsed === null ? null : Date.parse(parsed);
}

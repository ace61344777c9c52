import { randomBytes } from 'node:crypto';

const MAX_LENGTH = 40;
const SUFFIX_LENGTH = 10;

/**
 * Returns `prefix` + '-' + a random suffix, safe as a Kafka topic name, a Kafka consumer
 * group id and a MongoDB database name: only lowercase letters, digits, '-' and '_'
 * (no '.', which MongoDB database names forbid), at most 40 characters.
 * Characters outside that set in `prefix` are replaced by '_'; a long prefix is truncated.
 */
export function uniqueName(prefix: string): string {
  const suffix = randomSuffix(SUFFIX_LENGTH);
  const cleaned = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .slice(0, MAX_LENGTH - SUFFIX_LENGTH - 1);
  return cleaned.length > 0 ? `${cleaned}-${suffix}` : `t-${suffix}`;
}

function randomSuffix(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

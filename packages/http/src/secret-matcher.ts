import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether a presented token is `secret`. Digests are of equal length whatever was sent, so the
 * comparison is constant-time and tells nothing of the secret's length either.
 */
export function secretMatcher(secret: string): (given: string | null) => boolean {
  const expected = digest(secret);
  return (given) => given !== null && timingSafeEqual(digest(given), expected);
}

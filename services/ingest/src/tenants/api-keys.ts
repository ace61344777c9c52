import { createHash, randomBytes } from 'node:crypto';

/** Keys are shown once; only their SHA-256 is stored, so a leaked database does not leak keys. */
export const newApiKey = (): string => `cdp_${randomBytes(24).toString('base64url')}`;
export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

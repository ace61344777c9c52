import { createHash, randomBytes } from 'node:crypto';

/** API keys and verify tokens are stored only as SHA-256, so a leaked database does not leak them. */
export const newApiKey = (): string => `cdp_${randomBytes(24).toString('base64url')}`;
export const hashSecret = (key: string): string => createHash('sha256').update(key).digest('hex');

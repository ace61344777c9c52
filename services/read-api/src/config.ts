import { z } from 'zod';
import { commonEnv, loadConfig } from '@cdp/config';

export const readApiConfigSchema = z.object({
  ...commonEnv,
  READ_API_HOST: z.string().default('127.0.0.1'),
  READ_API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** The operator's token, shared with ingest's admin routes: it opens the ops console. */
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters'),
});

export const loadReadApiConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(readApiConfigSchema, env);

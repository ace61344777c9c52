import { z } from 'zod';
import { commonEnv, loadConfig } from '@cdp/config';

export const readApiConfigSchema = z.object({
  ...commonEnv,
  READ_API_HOST: z.string().default('127.0.0.1'),
  READ_API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
});

export const loadReadApiConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(readApiConfigSchema, env);

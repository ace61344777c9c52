import { z } from 'zod';
import { commonEnv, loadConfig } from '@cdp/config';

export const ingestConfigSchema = z.object({
  ...commonEnv,
  INGEST_HOST: z.string().default('127.0.0.1'),
  INGEST_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters'),
  /** 32 bytes, base64: encrypts tenants' Haravan secrets at rest. */
  SECRETS_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, 'SECRETS_KEY must be 32 bytes in base64'),
  WEBHOOK_BODY_LIMIT: z.string().default('1mb'),
  HARAVAN_API_BASE_URL: z.url().default('https://apis.haravan.com'),
});
export type IngestConfig = z.infer<typeof ingestConfigSchema>;

export const loadIngestConfig = (
  env: Record<string, string | undefined> = process.env,
): Readonly<IngestConfig> => loadConfig(ingestConfigSchema, env);

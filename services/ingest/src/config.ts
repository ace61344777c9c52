import { z } from 'zod';
import { commonEnv, loadConfig } from '@cdp/config';
import {
  DEFAULT_LEASE_TTL_MS,
  DEFAULT_MAX_POLL_SPAN_MS,
  DEFAULT_SWEEP_INTERVAL_MS,
  DEFAULT_SWEEP_MAX_DELETIONS,
} from './polling/polling-config';
import { bytesOf, MAX_WEBHOOK_BODY_BYTES } from './webhook/body-limit';
import { DEFAULT_APPEND_TIMEOUT_MS } from './webhook/webhook-route';

export const ingestConfigSchema = z.object({
  ...commonEnv,
  INGEST_HOST: z.string().default('127.0.0.1'),
  INGEST_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters'),
  /** A bearer token that reads /metrics only, for the scraper, besides ADMIN_TOKEN. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /** 32 bytes, base64: encrypts tenants' Haravan secrets at rest. */
  SECRETS_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, 'SECRETS_KEY must be 32 bytes in base64'),
  /** Express's size syntax (`512kb`, `1mb`); a delivery must fit a raw record with its headers. */
  WEBHOOK_BODY_LIMIT: z
    .string()
    .default('1mb')
    .refine((limit) => {
      const bytes = bytesOf(limit);
      return bytes !== null && bytes <= MAX_WEBHOOK_BODY_BYTES;
    }, `WEBHOOK_BODY_LIMIT must be a size like 1mb, at most ${MAX_WEBHOOK_BODY_BYTES} bytes (3 MiB: topics take 4 MiB records)`),
  /** How long a webhook waits for Kafka before it is answered 503 (Haravan waits about 5 s). */
  WEBHOOK_APPEND_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .max(30_000)
    .default(DEFAULT_APPEND_TIMEOUT_MS),
  HARAVAN_API_BASE_URL: z.url().default('https://apis.haravan.com'),
  /**
   * R5: order status at least every minute; customers within 15 minutes, a bound to beat, so a change
   * whose webhook was lost shows within 5 minutes plus one poll and the projection (products alike).
   */
  POLL_ORDERS_INTERVAL_MS: z.coerce.number().int().positive().default(60_000),
  POLL_CUSTOMERS_INTERVAL_MS: z.coerce.number().int().positive().default(300_000),
  POLL_PRODUCTS_INTERVAL_MS: z.coerce.number().int().positive().default(300_000),
  POLL_OVERLAP_MS: z.coerce.number().int().min(0).default(120_000),
  POLL_FAILURE_DELAY_MS: z.coerce.number().int().positive().default(30_000),
  /** A longer gap since the last poll (an outage) is read between polls, oldest first: 10 minutes. */
  POLL_MAX_SPAN_MS: z.coerce.number().int().positive().default(DEFAULT_MAX_POLL_SPAN_MS),
  /** How often each shop's waiting push commands (R22, R23) are looked for. */
  PUSH_INTERVAL_MS: z.coerce.number().int().positive().default(1_000),
  /** How long a finished push command stays readable (`GET /v1/commands/{id}`): 30 days. */
  PUSH_RETENTION_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 86_400_000),
  /** Haravan's per-shop leaky bucket; the reserve is left for pushes and the merchant's other apps. */
  HARAVAN_BUCKET_CAPACITY: z.coerce.number().int().positive().default(80),
  HARAVAN_DRAIN_PER_SECOND: z.coerce.number().positive().default(4),
  HARAVAN_BUCKET_RESERVE: z.coerce.number().int().min(0).default(10),
  /** One ingest instance polls each shop; another takes over this long after it dies. */
  POLLING_LEASE_TTL_MS: z.coerce.number().int().positive().default(DEFAULT_LEASE_TTL_MS),
  /** How often each resource is checked for deletions whose webhook was lost: 6 hours. */
  DELETION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(60_000).default(DEFAULT_SWEEP_INTERVAL_MS),
  /** A sweep finding more 404s than this files none and reports it (as directory syncs guard deletes). */
  DELETION_SWEEP_MAX_DELETIONS: z.coerce.number().int().min(0).default(DEFAULT_SWEEP_MAX_DELETIONS),
});
export type IngestConfig = z.infer<typeof ingestConfigSchema>;

export const loadIngestConfig = (
  env: Record<string, string | undefined> = process.env,
): Readonly<IngestConfig> => loadConfig(ingestConfigSchema, env);

import { z } from 'zod';

/** Settings every service shares; local defaults match `pnpm infra:up`. */
export const commonEnv = {
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:19092')
    .transform((value) =>
      value
        .split(',')
        .map((broker) => broker.trim())
        .filter(Boolean),
    ),
  MONGODB_URI: z.string().default('mongodb://127.0.0.1:27027/?directConnection=true&retryWrites=false'),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('cdp'),
  SCHEMA_REGISTRY_URL: z.url().default('http://127.0.0.1:18081/apis/ccompat/v7'),
  /** Lets several deployments or test runs share one Kafka cluster. */
  TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/)
    .default(''),
  /**
   * Partitions of each keyed topic, when a service creates the topics. Fixed for the topics' life: a
   * service refuses topics with another count (keys would have moved between partitions).
   */
  TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(10_000).default(6),
  /**
   * Replicas of each topic, when a service creates the topics; unset, the broker's defaults. 3 in
   * production, where acks=all then means two brokers hold each record (`min.insync.replicas` 2).
   * A service refuses existing topics kept with less.
   */
  TOPIC_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(7).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

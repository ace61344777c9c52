import { z } from 'zod';
import { commonEnv, loadConfig } from '@cdp/config';
import { INLINE_ENTRIES } from './entry-shards';

/** How the read models are written, the same for the projector and `pnpm replay`. */
export const writerEnv = {
  /**
   * Orders a buyer's profile lists itself before they move to shards (README, the read models); at
   * most 100,000, a profile passing MongoDB's 16 MiB past ~150,000. Safe to change at any time:
   * sharded buyers stay so, and listed ones move at their next change.
   */
  PROJECTOR_INLINE_ENTRIES: z.coerce.number().int().min(1).max(100_000).default(INLINE_ENTRIES),
};

export const projectorConfigSchema = z.object({
  ...commonEnv,
  ...writerEnv,
  PROJECTOR_HOST: z.string().default('127.0.0.1'),
  PROJECTOR_PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters'),
  /** Tries (and receipts across crashes) of one event before its key is parked. */
  PROJECTOR_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  /** One projector writes at a time; another takes over this long after it dies (at once after a clean stop). */
  // A third of it is the renewal period and the margin a flush needs left (`HeldLease.writable`).
  PROJECTOR_LEASE_TTL_MS: z.coerce.number().int().min(1_000).default(30_000),
  /**
   * Kafka's group: how long a member that stopped heartbeating (a killed process) keeps its
   * partitions, and how long a rebalance waits for members to rejoin. A restart after a crash
   * consumes once the dead member is out of the group. The broker refuses sessions under 6 s.
   */
  PROJECTOR_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).default(30_000),
  PROJECTOR_REBALANCE_TIMEOUT_MS: z.coerce.number().int().min(6_000).default(60_000),
});

export const loadProjectorConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(projectorConfigSchema, env);

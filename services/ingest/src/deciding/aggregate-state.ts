import { z } from 'zod';

/** What the decider remembers per aggregate; persisted between records (see worker/state-store). */
export interface AggregateState {
  /** updatedAt of the newest snapshot applied (ISO). */
  version: string;
  /** Hash of the whole normalised snapshot; tiebreak for equal updatedAt (larger wins, so every arrival order converges). */
  fingerprint: string;
  /** Short hash per tracked field, to tell which fields changed (a few readable values, see snapshot-fields). */
  fields: Record<string, string>;
  deleted: boolean;
  /**
   * When it was last deleted (a deletion's receipt time); absent on tombstones stored before it was
   * kept, which are never taken back.
   */
  deletedAt?: string;
  /** Deletions the shop later contradicted (see decide's revival); absent when none. */
  revivals?: number;
}

/**
 * For reading a stored state back from the store (worker/state-store). Not strict: a field a later
 * version adds is dropped, not a crash of the decider after a rollback.
 */
export const aggregateStateSchema = z.object({
  version: z.string(),
  fingerprint: z.string(),
  fields: z.record(z.string(), z.string()),
  deleted: z.boolean(),
  deletedAt: z.string().optional(),
  revivals: z.number().int().min(1).optional(),
}) satisfies z.ZodType<AggregateState>;

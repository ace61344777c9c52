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
}

/** For reading a stored state back from the store (worker/state-store). */
export const aggregateStateSchema = z.strictObject({
  version: z.string(),
  fingerprint: z.string(),
  fields: z.record(z.string(), z.string()),
  deleted: z.boolean(),
}) satisfies z.ZodType<AggregateState>;

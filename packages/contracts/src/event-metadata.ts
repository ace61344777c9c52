import { z } from 'zod';

export const eventSources = ['webhook', 'poll', 'cdp'] as const;
export type EventSource = (typeof eventSources)[number];

export const eventMetadataSchema = z.strictObject({
  eventId: z.string().min(1),
  schemaVersion: z.int32().positive(),
  tenantId: z.string().min(1),
  aggregateId: z.string().min(1),
  /** When the change happened in Haravan (the snapshot's updated_at). */
  occurredAt: z.iso.datetime({ offset: true }),
  /** When ingest recorded it; the only field a re-delivery may change. */
  recordedAt: z.iso.datetime({ offset: true }),
  source: z.enum(eventSources),
  /** The raw delivery or poll page this event was decided from. */
  causationId: z.string().min(1),
});
export type EventMetadata = z.infer<typeof eventMetadataSchema>;

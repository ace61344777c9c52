import { z } from 'zod';

// What the webhook routes (webhook-route.ts) read and answer: the route's answers are checked against these, and the OpenAPI document shows them.

export const webhookHeaders = z.strictObject({
  'X-Haravan-Topic': z.string().min(1).describe('e.g. orders/create'),
  'X-Haravan-Org-Id': z.string().min(1).describe('the shop; selects the tenant'),
  'X-Haravan-Hmacsha256': z
    .string()
    .min(1)
    .describe("base64 HMAC-SHA256 of the raw body with the tenant's webhook secret"),
  'X-Haravan-Test': z
    .string()
    .optional()
    .describe('present on a test delivery: its sample resource is kept in the raw log, never decided'),
});

export const webhookBody = z
  .looseObject({})
  .describe("the topic's resource as Haravan sends it; a known topic's must carry a numeric id");

export const webhookAcceptedSchema = z.strictObject({ ok: z.literal(true) });
export type WebhookAccepted = z.output<typeof webhookAcceptedSchema>;

export const webhookKeptRawSchema = z.strictObject({ ok: z.literal(true), note: z.string() });
export type WebhookKeptRaw = z.output<typeof webhookKeptRawSchema>;

export const handshakeQuery = z.strictObject({
  'hub.mode': z.literal('subscribe'),
  'hub.verify_token': z.string().describe("a tenant's webhookVerifyToken"),
  'hub.challenge': z.string().describe('answered back as is'),
});

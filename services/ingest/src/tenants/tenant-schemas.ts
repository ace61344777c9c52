import { z } from 'zod';
import { revenuePolicies } from '@cdp/read-models';
import { syncStatusSchema } from '../polling/sync-status';
import { webhookTallySchema } from '../webhook/webhook-counts';

// What the admin routes accept and answer: the routes and the OpenAPI document use the same schemas.

export const tenantPath = z.strictObject({ tenantId: z.string() });
const keyId = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'a key id (64 hex digits) as issued or listed, never the key itself')
  .describe("the key's id, as issued or listed: keys never go into URLs, which proxies and logs keep");
export const apiKeyPath = tenantPath.extend({ keyId });

// Sent as `Authorization: Bearer <token>`: a space or a pasted line break would fail every call, and
// the HTTP client's error would carry the token into logs and push commands' answers.
const accessToken = z.string().regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces or line breaks');

// The token goes with every call: over plain http only to this machine (the simulator).
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const apiBaseUrl = z
  .url()
  .refine((value) => {
    const { protocol, hostname } = new URL(value);
    return protocol === 'https:' || (protocol === 'http:' && LOOPBACK.has(hostname));
  }, 'https, or http on this machine only (a simulator): the access token is sent with every call')
  // Paths are appended to it; a user name or password would be refused by every call, quoted in its error.
  .refine((value) => {
    const { username, password, search, hash } = new URL(value);
    return !username && !password && !search && !hash;
  }, 'a scheme, host and path only: no user name, password, query or fragment');

export const createTenantBody = z.strictObject({
  tenantId: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{1,62}$/, 'lowercase letters, digits, - and _, 2 to 63 characters'),
  // One spelling per shop: `0100` and `100` would be two tenants, only one of them sent webhooks.
  haravanOrgId: z
    .union([z.string().regex(/^[1-9]\d*$/, 'digits, without a leading zero'), z.number().int().positive()])
    .transform(String),
  haravanAccessToken: accessToken,
  haravanWebhookSecret: z.string().min(1),
  haravanApiBaseUrl: apiBaseUrl.optional().describe("defaults to Haravan's real API"),
  webhookVerifyToken: z.string().min(1).optional().describe("answers Haravan's subscription handshake"),
  revenuePolicy: z.enum(revenuePolicies).optional(),
});

export const tenantChangesBody = z
  .strictObject({
    revenuePolicy: z.enum(revenuePolicies).optional(),
    haravanAccessToken: accessToken
      .optional()
      .describe(
        'a token (a reinstall or a rotation; the same one again to undo an uninstall): polling restarts with it',
      ),
    haravanWebhookSecret: z
      .string()
      .min(1)
      .optional()
      .describe('deliveries signed with the secret it replaces are still taken for 48 hours'),
    haravanApiBaseUrl: apiBaseUrl.optional(),
    webhookVerifyToken: z
      .string()
      .min(1)
      .optional()
      .describe("answers Haravan's subscription handshake from now on; the one it replaces no longer does"),
    revokePreviousWebhookSecrets: z
      .literal(true)
      .optional()
      .describe('stop taking deliveries signed with replaced secrets now (one leaked)'),
  })
  .refine((changes) => Object.values(changes).some((v) => v !== undefined), 'name at least one setting');

const instant = z.iso.datetime({ offset: true });

/** How the tenant is connected to its shop; the secrets themselves are never answered. */
export const tenantConnectionSchema = z.strictObject({
  apiCredentialsSetAt: instant.describe('when the access token or API base URL were last set'),
  uninstalledAt: instant
    .nullable()
    .describe("Haravan's app/uninstalled: the shop is not polled until a new access token is set"),
  credentialsRefusedAt: instant
    .nullable()
    .describe(
      'when Haravan answered the access token 401 (revoked without an uninstall): pushes are refused until new credentials are set',
    ),
  previousWebhookSecrets: z
    .number()
    .int()
    .min(0)
    .describe(
      'replaced webhook secrets whose deliveries are still taken (each for 48 h after it was replaced)',
    ),
});

export type TenantConnection = z.output<typeof tenantConnectionSchema>;

export const tenantSettingsSchema = z.strictObject({
  tenantId: z.string(),
  haravanApiBaseUrl: z.string(),
  revenuePolicy: z.enum(revenuePolicies),
  connection: tenantConnectionSchema,
});
export type TenantSettings = z.output<typeof tenantSettingsSchema>;

/** A new tenant's or a newly issued read API key: the key is answered this once. */
export const apiKeyIssuedSchema = z.strictObject({ tenantId: z.string(), apiKey: z.string(), keyId });
export type ApiKeyIssued = z.output<typeof apiKeyIssuedSchema>;

export const apiKeyListSchema = z.strictObject({
  items: z
    .array(z.strictObject({ keyId, createdAt: instant, revokedAt: instant.nullable() }))
    .describe("the tenant's keys, revoked ones included, oldest first; never the keys themselves"),
});
export type ApiKeyList = z.output<typeof apiKeyListSchema>;

export const tenantSyncSchema = z.union([
  syncStatusSchema.extend({ webhooks: webhookTallySchema }),
  z
    .strictObject({ webhooks: webhookTallySchema })
    .describe('from an ingest process that runs no polling (tests, benchmarks)'),
]);
export type TenantSync = z.output<typeof tenantSyncSchema>;

/** Connection and sync status; never the tenant's secrets. */
export const tenantStatusSchema = z.strictObject({
  tenantId: z.string(),
  haravanOrgId: z.string(),
  haravanApiBaseUrl: z.string(),
  revenuePolicy: z.enum(revenuePolicies),
  createdAt: instant,
  connection: tenantConnectionSchema,
  sync: tenantSyncSchema,
});
export type TenantStatus = z.output<typeof tenantStatusSchema>;

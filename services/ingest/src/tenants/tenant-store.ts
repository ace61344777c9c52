import type { Collection, Db } from 'mongodb';
import { AppError, err, ok, type Result } from '@cdp/contracts';
import { isDuplicateKey } from '@cdp/mongo';
import type { RevenuePolicy } from '@cdp/read-models';
import { hashSecret, newApiKey } from '@cdp/http';
import type { SecretBox } from './secret-box';

export interface TenantInput {
  tenantId: string;
  haravanOrgId: string;
  haravanAccessToken: string;
  haravanWebhookSecret: string;
  haravanApiBaseUrl: string;
  webhookVerifyToken?: string | undefined;
  revenuePolicy?: RevenuePolicy | undefined;
}

/** What an operator may change on a connected tenant; credentials come with a reinstall or a rotation. */
export interface TenantChanges {
  revenuePolicy?: RevenuePolicy | undefined;
  haravanAccessToken?: string | undefined;
  haravanWebhookSecret?: string | undefined;
  haravanApiBaseUrl?: string | undefined;
  /** Answers Haravan's subscription handshake from now on, instead of the one before. */
  webhookVerifyToken?: string | undefined;
  /** Stops taking deliveries signed with replaced secrets at once (one leaked). */
  revokePreviousWebhookSecrets?: boolean | undefined;
}

/**
 * How long deliveries signed with a replaced webhook secret are still taken: Haravan's retries are
 * believed to last about 48 h (undocumented; Shopify's do).
 */
export const PREVIOUS_SECRET_GRACE_MS = 48 * 60 * 60 * 1000;

/** A tenant with its secrets opened, for in-process use only; never serialised to a response or log. */
export interface Tenant {
  tenantId: string;
  haravanOrgId: string;
  haravanApiBaseUrl: string;
  accessToken: string;
  webhookSecret: string;
  /** Secrets replaced by rotations, while their grace lasts: Haravan's retries may still carry them. */
  previousWebhookSecrets: string[];
  webhookVerifyToken: string | null;
  revenuePolicy: RevenuePolicy;
  createdAt: Date;
  /** When the access token or API base URL were last set: polling restarts with them. */
  apiCredentialsSetAt: Date;
  /** Haravan said `app/uninstalled`: the token is void, so the shop is not polled until a token is set. */
  uninstalledAt: Date | null;
  /** Haravan answered these credentials 401 (a token revoked without an uninstall); cleared by new ones. */
  credentialsRefusedAt: Date | null;
}

interface TenantDoc {
  _id: string;
  haravanOrgId: string;
  haravanApiBaseUrl: string;
  sealedAccessToken: string;
  sealedWebhookSecret: string;
  sealedVerifyToken: string | null;
  /** Haravan's handshake names no shop, only the token: the hash finds the tenant without decrypting all. */
  verifyTokenHash: string | null;
  /** Read by the read API to pick which per-policy revenue a tenant sees (R20). */
  revenuePolicy: RevenuePolicy;
  createdAt: Date;
  // Absent on tenants stored before credentials could change.
  apiCredentialsSetAt?: Date;
  previousWebhookSecrets?: { sealed: string; until: Date }[];
  uninstalledAt?: Date | null;
  credentialsRefusedAt?: Date | null;
  /** Bumped by every change after creation: an update writes only over the version it read. */
  version?: number;
}

interface ApiKeyDoc {
  _id: string;
  tenantId: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** A read API key as issued: the key itself is answered once, and only its id is kept. */
export interface IssuedApiKey {
  apiKey: string;
  /** The key's SHA-256: names the key in listings and revocations, so the key never goes into a URL. */
  keyId: string;
}

export interface ApiKeyInfo {
  keyId: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export type CreateTenantResult =
  ({ ok: true } & IssuedApiKey) | { ok: false; reason: 'TENANT_EXISTS' | 'ORG_TAKEN' };

export interface TenantStore {
  ensureIndexes(): Promise<void>;
  create(input: TenantInput): Promise<CreateTenantResult>;
  get(tenantId: string): Promise<Tenant | null>;
  byOrgId(orgId: string): Promise<Tenant | null>;
  byVerifyToken(token: string): Promise<Tenant | null>;
  /** Every tenant's id (nothing decrypted). */
  ids(): Promise<string[]>;
  issueApiKey(tenantId: string): Promise<IssuedApiKey>;
  /** The tenant's keys, revoked ones included, oldest first. */
  apiKeys(tenantId: string): Promise<ApiKeyInfo[]>;
  /** Applies the changes; setting an access token also ends an uninstall. Null when there is no such tenant. */
  update(tenantId: string, changes: TenantChanges): Promise<Tenant | null>;
  /** Records Haravan's `app/uninstalled` (the first one counts); false when there is no such tenant. */
  markUninstalled(tenantId: string, at: Date): Promise<boolean>;
  /**
   * Haravan refused the credentials set at `credentialsSetAt` (401) at `at`, or took them again (null);
   * nothing once others replaced them, so a late answer to the old ones cannot mark the new.
   */
  markCredentialsRefused(tenantId: string, credentialsSetAt: Date, at: Date | null): Promise<void>;
  /** False when the tenant has no such key, or it is revoked already. */
  revokeApiKey(tenantId: string, keyId: string): Promise<boolean>;
  /**
   * Whether the secret key opens what is stored: started with another key, every webhook, poll and
   * tenant read would fail, each with an error that does not say why.
   */
  checkKey(): Promise<Result<void>>;
}

export function createTenantStore(db: Db, box: SecretBox, now: () => number = Date.now): TenantStore {
  const tenants: Collection<TenantDoc> = db.collection('tenants');
  const apiKeys: Collection<ApiKeyDoc> = db.collection('api_keys');

  const open = (doc: TenantDoc): Tenant => ({
    tenantId: doc._id,
    haravanOrgId: doc.haravanOrgId,
    haravanApiBaseUrl: doc.haravanApiBaseUrl,
    accessToken: box.open(doc.sealedAccessToken),
    webhookSecret: box.open(doc.sealedWebhookSecret),
    previousWebhookSecrets: inGrace(doc).map((p) => box.open(p.sealed)),
    webhookVerifyToken: doc.sealedVerifyToken ? box.open(doc.sealedVerifyToken) : null,
    // Tenants connected before the setting existed count as the rules are written, as the read API does.
    revenuePolicy: doc.revenuePolicy ?? 'as-written',
    createdAt: doc.createdAt,
    apiCredentialsSetAt: doc.apiCredentialsSetAt ?? doc.createdAt,
    uninstalledAt: doc.uninstalledAt ?? null,
    credentialsRefusedAt: doc.credentialsRefusedAt ?? null,
  });

  function inGrace(doc: TenantDoc) {
    return (doc.previousWebhookSecrets ?? []).filter((p) => p.until.getTime() > now());
  }

  /** What `changes` set on the stored `doc`. */
  function setOf(doc: TenantDoc, changes: TenantChanges): Partial<TenantDoc> {
    const set: Partial<TenantDoc> = {};
    if (changes.revenuePolicy !== undefined) set.revenuePolicy = changes.revenuePolicy;
    // Setting a token, even the same one, is the operator's word that the app is installed: it
    // restarts polling and ends an uninstall (also one a late retry of Haravan's recorded).
    if (changes.haravanAccessToken !== undefined) {
      set.sealedAccessToken = box.seal(changes.haravanAccessToken);
      set.uninstalledAt = null;
    }
    if (changes.haravanApiBaseUrl !== undefined && changes.haravanApiBaseUrl !== doc.haravanApiBaseUrl)
      set.haravanApiBaseUrl = changes.haravanApiBaseUrl;
    if ('sealedAccessToken' in set || 'haravanApiBaseUrl' in set) {
      set.apiCredentialsSetAt = new Date(now());
      set.credentialsRefusedAt = null;
    }
    if (changes.webhookVerifyToken !== undefined) {
      set.sealedVerifyToken = box.seal(changes.webhookVerifyToken);
      set.verifyTokenHash = hashSecret(changes.webhookVerifyToken);
    }
    const secret = changes.haravanWebhookSecret;
    const replaced = secret !== undefined && secret !== box.open(doc.sealedWebhookSecret);
    if (replaced) set.sealedWebhookSecret = box.seal(secret);
    if (changes.revokePreviousWebhookSecrets) set.previousWebhookSecrets = [];
    // Each replaced secret keeps its own grace, so a second rotation does not cut the first short.
    else if (replaced)
      set.previousWebhookSecrets = [
        { sealed: doc.sealedWebhookSecret, until: new Date(now() + PREVIOUS_SECRET_GRACE_MS) },
        ...inGrace(doc),
      ];
    return set;
  }

  const issueApiKey = async (tenantId: string): Promise<IssuedApiKey> => {
    const apiKey = newApiKey();
    const keyId = hashSecret(apiKey);
    await apiKeys.insertOne({ _id: keyId, tenantId, createdAt: new Date(now()), revokedAt: null });
    return { apiKey, keyId };
  };

  return {
    async checkKey() {
      const doc = await tenants.findOne({});
      if (!doc) return ok(undefined);
      try {
        box.open(doc.sealedAccessToken);
        return ok(undefined);
      } catch {
        return err(
          new AppError(
            'ERR_SECRETS_KEY_MISMATCH',
            `SECRETS_KEY does not open the stored secrets (tenant ${doc._id}): start with the key they were sealed with`,
            false,
          ),
        );
      }
    },
    async ensureIndexes() {
      await tenants.createIndex({ haravanOrgId: 1 }, { unique: true });
      await apiKeys.createIndex({ tenantId: 1 });
      await tenants.createIndex({ verifyTokenHash: 1 });
    },
    async create(input) {
      // The key first: a tenant stored without one (the key's write failed, or the process died
      // between the two) would answer a retried create 409 and leave the caller no key.
      const issued = await issueApiKey(input.tenantId);
      try {
        await tenants.insertOne({
          _id: input.tenantId,
          haravanOrgId: input.haravanOrgId,
          haravanApiBaseUrl: input.haravanApiBaseUrl,
          sealedAccessToken: box.seal(input.haravanAccessToken),
          sealedWebhookSecret: box.seal(input.haravanWebhookSecret),
          sealedVerifyToken: input.webhookVerifyToken ? box.seal(input.webhookVerifyToken) : null,
          verifyTokenHash: input.webhookVerifyToken ? hashSecret(input.webhookVerifyToken) : null,
          revenuePolicy: input.revenuePolicy ?? 'as-written',
          createdAt: new Date(now()),
        });
      } catch (error) {
        // A write that failed otherwise may have landed: its key stays (nobody knows it if not).
        if (!isDuplicateKey(error)) throw error;
        // Not the existing tenant's to keep.
        await apiKeys.deleteOne({ _id: issued.keyId }).catch(() => undefined);
        const sameId = await tenants.findOne({ _id: input.tenantId });
        return { ok: false, reason: sameId ? 'TENANT_EXISTS' : 'ORG_TAKEN' };
      }
      return { ok: true, ...issued };
    },
    async get(tenantId) {
      const doc = await tenants.findOne({ _id: tenantId });
      return doc ? open(doc) : null;
    },
    async byOrgId(orgId) {
      const doc = await tenants.findOne({ haravanOrgId: orgId });
      return doc ? open(doc) : null;
    },
    async byVerifyToken(token) {
      const doc = await tenants.findOne({ verifyTokenHash: hashSecret(token) });
      return doc ? open(doc) : null;
    },
    async ids() {
      return (await tenants.find({}, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id);
    },
    issueApiKey,
    async apiKeys(tenantId) {
      const docs = await apiKeys.find({ tenantId }).sort({ createdAt: 1, _id: 1 }).toArray();
      return docs.map((doc) => ({ keyId: doc._id, createdAt: doc.createdAt, revokedAt: doc.revokedAt }));
    },
    async update(tenantId, changes) {
      // Written only over the version read (else read again), so no change made meanwhile is lost.
      for (;;) {
        const doc = await tenants.findOne({ _id: tenantId });
        if (!doc) return null;
        const set = { ...setOf(doc, changes), version: (doc.version ?? 0) + 1 };
        const { matchedCount } = await tenants.updateOne(
          { _id: tenantId, version: doc.version ?? { $exists: false } },
          { $set: set },
        );
        if (matchedCount === 1) return open({ ...doc, ...set });
      }
    },
    async markUninstalled(tenantId, at) {
      const { matchedCount } = await tenants.updateOne(
        { _id: tenantId, uninstalledAt: null },
        { $set: { uninstalledAt: at }, $inc: { version: 1 } },
      );
      return matchedCount === 1 || (await tenants.countDocuments({ _id: tenantId })) === 1;
    },
    async markCredentialsRefused(tenantId, credentialsSetAt, at) {
      await tenants.updateOne(
        {
          _id: tenantId,
          $or: [
            { apiCredentialsSetAt: credentialsSetAt },
            { apiCredentialsSetAt: { $exists: false }, createdAt: credentialsSetAt },
          ],
        },
        { $set: { credentialsRefusedAt: at }, $inc: { version: 1 } },
      );
    },
    async revokeApiKey(tenantId, keyId) {
      const result = await apiKeys.updateOne(
        { _id: keyId, tenantId, revokedAt: null },
        { $set: { revokedAt: new Date(now()) } },
      );
      return result.modifiedCount === 1;
    },
  };
}

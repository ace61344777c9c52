import type { Collection, Db } from 'mongodb';
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

/** A tenant with its secrets opened, for in-process use only; never serialised to a response or log. */
export interface Tenant {
  tenantId: string;
  haravanOrgId: string;
  haravanApiBaseUrl: string;
  accessToken: string;
  webhookSecret: string;
  webhookVerifyToken: string | null;
  revenuePolicy: RevenuePolicy;
  createdAt: Date;
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
}

interface ApiKeyDoc {
  _id: string;
  tenantId: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export type CreateTenantResult =
  { ok: true; apiKey: string } | { ok: false; reason: 'TENANT_EXISTS' | 'ORG_TAKEN' };

export interface TenantStore {
  ensureIndexes(): Promise<void>;
  create(input: TenantInput): Promise<CreateTenantResult>;
  get(tenantId: string): Promise<Tenant | null>;
  byOrgId(orgId: string): Promise<Tenant | null>;
  byVerifyToken(token: string): Promise<Tenant | null>;
  list(): Promise<Tenant[]>;
  issueApiKey(tenantId: string): Promise<string>;
  setRevenuePolicy(tenantId: string, policy: RevenuePolicy): Promise<boolean>;
  revokeApiKey(tenantId: string, key: string): Promise<boolean>;
}

export function createTenantStore(db: Db, box: SecretBox): TenantStore {
  const tenants: Collection<TenantDoc> = db.collection('tenants');
  const apiKeys: Collection<ApiKeyDoc> = db.collection('api_keys');

  const open = (doc: TenantDoc): Tenant => ({
    tenantId: doc._id,
    haravanOrgId: doc.haravanOrgId,
    haravanApiBaseUrl: doc.haravanApiBaseUrl,
    accessToken: box.open(doc.sealedAccessToken),
    webhookSecret: box.open(doc.sealedWebhookSecret),
    webhookVerifyToken: doc.sealedVerifyToken ? box.open(doc.sealedVerifyToken) : null,
    revenuePolicy: doc.revenuePolicy,
    createdAt: doc.createdAt,
  });

  const issueApiKey = async (tenantId: string): Promise<string> => {
    const key = newApiKey();
    await apiKeys.insertOne({ _id: hashSecret(key), tenantId, createdAt: new Date(), revokedAt: null });
    return key;
  };

  return {
    async ensureIndexes() {
      await tenants.createIndex({ haravanOrgId: 1 }, { unique: true });
      await apiKeys.createIndex({ tenantId: 1 });
      await tenants.createIndex({ verifyTokenHash: 1 });
    },
    async create(input) {
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
          createdAt: new Date(),
        });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const sameId = await tenants.findOne({ _id: input.tenantId });
        return { ok: false, reason: sameId ? 'TENANT_EXISTS' : 'ORG_TAKEN' };
      }
      return { ok: true, apiKey: await issueApiKey(input.tenantId) };
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
    async list() {
      return (await tenants.find({}).toArray()).map(open);
    },
    issueApiKey,
    async setRevenuePolicy(tenantId, policy) {
      return (
        (await tenants.updateOne({ _id: tenantId }, { $set: { revenuePolicy: policy } })).matchedCount === 1
      );
    },
    async revokeApiKey(tenantId, key) {
      const result = await apiKeys.updateOne(
        { _id: hashSecret(key), tenantId, revokedAt: null },
        { $set: { revokedAt: new Date() } },
      );
      return result.modifiedCount === 1;
    },
  };
}

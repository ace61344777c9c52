import { randomBytes } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { MongoClientOptions } from 'mongodb';
import { topicNames, type TopicNames } from '@cdp/contracts';
import { createSecretBox, createTenantStore, type TenantStore } from '@cdp/ingest';
import { createKafka, ensureTopics, pipelineTopics } from '@cdp/kafka';
import {
  createTestDb,
  deleteRegistrySubjects,
  resolveInfra,
  uniqueName,
  type InfraUrls,
  type TestDb,
} from '@cdp/testing';

export interface BenchInfra {
  infra: InfraUrls;
  prefix: string;
  topics: TopicNames;
  kafka: Kafka;
  admin: Admin;
  testDb: TestDb;
  /** Consumer groups made by the scenario, deleted with everything else. */
  groups: Set<string>;
  cleanup(): Promise<void>;
}

/**
 * A scenario's own slice of the shared broker and store: every topic, group and database is
 * uniquely named (others may use the same instance) and removed by `cleanup`.
 */
export async function openBenchInfra(
  name: string,
  clientOptions: MongoClientOptions = {},
): Promise<BenchInfra> {
  const infra = await resolveInfra();
  const prefix = `${uniqueName(name)}.`;
  const topics = topicNames(prefix);
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: prefix });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, pipelineTopics(topics, 3));
  const testDb = await createTestDb(infra.mongoUri, { prefix: name, clientOptions });
  const groups = new Set<string>();
  return {
    infra,
    prefix,
    topics,
    kafka,
    admin,
    testDb,
    groups,
    async cleanup() {
      if (groups.size > 0) await admin.deleteGroups([...groups]).catch(() => undefined);
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      await admin.disconnect();
      await testDb.cleanup();
      await deleteRegistrySubjects(infra.schemaRegistryUrl, [prefix]);
    },
  };
}

/** The scenario's tenant store with one tenant, `bench-tenant`, connected to the given shop. */
export async function createBenchTenant(
  bench: BenchInfra,
  shop: { orgId: string; accessToken: string; webhookSecret: string; apiBaseUrl: string },
): Promise<TenantStore> {
  const tenants = createTenantStore(bench.testDb.db, createSecretBox(randomBytes(32).toString('base64')));
  await tenants.ensureIndexes();
  const created = await tenants.create({
    tenantId: 'bench-tenant',
    haravanOrgId: shop.orgId,
    haravanAccessToken: shop.accessToken,
    haravanWebhookSecret: shop.webhookSecret,
    haravanApiBaseUrl: shop.apiBaseUrl,
  });
  if (!created.ok) throw new Error(`tenant not created: ${created.reason}`);
  return tenants;
}

import { randomBytes } from 'node:crypto';
import { createCommandStore } from '@cdp/commands';
import { topicNames } from '@cdp/contracts';
import { createMetrics } from '@cdp/http';
import {
  createApp as createIngestApp,
  createWebhookCounts,
  createDeciderWorker,
  superviseDecider,
  createPollingManager,
  createRawLog,
  createSecretBox,
  createRawLogMarks,
  createStateStore,
  createTenantStore,
  type PollingConfig,
} from '@cdp/ingest';
import { createEventCodec, createKafka, ensureTopics, pipelineTopics } from '@cdp/kafka';
import { createLogger } from '@cdp/logging';
import { createGenerationProjector, type GenerationDeps } from '@cdp/projector';
import { createApp as createReadApi } from '@cdp/read-api';
import {
  createTestDb,
  deleteGroupsUnder,
  deleteRegistrySubjects,
  groupsUnder,
  listen,
  resolveInfra,
  uniqueName,
} from '@cdp/testing';

/** Partitions of the pipeline's keyed topics (service processes it spawns are told the same). */
export const PIPELINE_PARTITIONS = 3;

/**
 * The whole product in one process over the real broker, store and registry, isolated by a
 * unique topic prefix and database. `stop()` removes its topics, groups, database and registry
 * subjects. With `polling`,
 * connected tenants are also backfilled and polled from their Haravan API.
 */
export async function startPipeline(
  options: {
    polling?: PollingConfig;
    inProcessProjector?: boolean;
    /** Deciders in the one consumer group, as several ingest instances run them. */
    deciders?: number;
  } = {},
) {
  const infra = await resolveInfra();
  const prefix = `${uniqueName('e2e')}.`;
  const topics = topicNames(prefix);
  const log = createLogger('e2e', process.env.LOG_LEVEL ?? 'warn');
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: prefix });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, pipelineTopics(topics, PIPELINE_PARTITIONS));
  const testDb = await createTestDb(infra.mongoUri, { prefix: 'e2e' });
  const codec = await createEventCodec({ registryUrl: infra.schemaRegistryUrl, topics });
  const tenants = createTenantStore(testDb.db, createSecretBox(randomBytes(32).toString('base64')));
  await tenants.ensureIndexes();
  const rawLog = await createRawLog(kafka, topics.raw);
  const noMetrics = { decided: () => undefined, applied: () => undefined, lastAppliedAt: () => undefined };
  const deciders = Array.from({ length: options.deciders ?? 1 }, () =>
    superviseDecider(
      (hooks) =>
        createDeciderWorker({
          kafka,
          admin,
          codec,
          states: createStateStore(testDb.db),
          marks: createRawLogMarks(testDb.db, {
            onError: (error) => log.warn({ err: error }, "the decider's raw log mark not recorded"),
          }),
          commands: createCommandStore(testDb.db),
          topics,
          groupId: `${prefix}decider`,
          log,
          metrics: noMetrics,
          ...hooks,
        }),
      { log },
    ),
  );
  const generationDeps: GenerationDeps = {
    kafka,
    admin,
    db: testDb.db,
    codec,
    topics,
    topicPrefix: prefix,
    log,
    metrics: noMetrics,
  };
  // Tests of crash recovery run the projector as a separate process instead.
  const projector =
    options.inProcessProjector === false ? null : await createGenerationProjector(generationDeps, '');
  await Promise.all([...deciders.map((d) => d.start()), projector?.start()]);
  const polling =
    options.polling && createPollingManager({ tenants, rawLog, db: testDb.db, log, config: options.polling });

  const adminToken = randomBytes(16).toString('hex');
  const webhookCounts = createWebhookCounts(testDb.db);
  const ingest = await listen(
    createIngestApp({
      tenants,
      rawLog,
      log,
      metrics: createMetrics('e2e_ingest'),
      checks: [],
      adminToken,
      webhookBodyLimit: '1mb',
      defaultApiBaseUrl: 'http://127.0.0.1:9',
      onTenantCreated: (tenantId) => void polling?.addTenant(tenantId),
      syncStatus: (tenantId) => (polling ? polling.status(tenantId) : Promise.resolve({})),
      webhookCounts,
    }),
  );
  const readApi = await listen(
    createReadApi({ db: testDb.db, log, metrics: createMetrics('e2e_read'), checks: [] }),
  );

  return {
    infra,
    prefix,
    topics,
    admin,
    generationDeps,
    deciders,
    dbName: testDb.dbName,
    db: testDb.db,
    adminToken,
    ingestUrl: ingest.url,
    readApiUrl: readApi.url,
    /** Where each of the pipeline's consumer groups is in each partition it reads, for a failure message. */
    async groupPositions(): Promise<string[]> {
      const described = await admin.describeGroups(await groupsUnder(admin, prefix));
      const lines: string[] = [];
      for (const group of described.groups) {
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group.groupId })) {
          const ends = await admin.fetchTopicOffsets(topic);
          const at = partitions.map(
            (p) => `${p.partition}: ${p.offset}/${ends.find((e) => e.partition === p.partition)?.offset}`,
          );
          lines.push(
            `${group.groupId} (${group.state}, ${group.members.length} members) ${topic} committed/end ${at.join(', ')}`,
          );
        }
      }
      return lines;
    },
    async stop() {
      await Promise.all([ingest.close(), readApi.close()]);
      await polling?.stop();
      await Promise.allSettled([
        ...deciders.map((d) => d.stop()),
        projector?.stop(),
        rawLog.close(),
        webhookCounts.close(),
      ]);
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      // The decider's and every projector generation's groups are named after the prefix.
      await deleteGroupsUnder(admin, prefix);
      await admin.disconnect();
      await testDb.cleanup();
      await deleteRegistrySubjects(infra.schemaRegistryUrl, [prefix]);
    },
  };
}
export type Pipeline = Awaited<ReturnType<typeof startPipeline>>;

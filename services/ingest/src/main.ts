import { createCommandStore } from '@cdp/commands';
import { deciderGroupId as deciderGroupIdOf, topicNames } from '@cdp/contracts';
import { createMetrics } from '@cdp/http';
import { createEventCodec, createKafka, ensureTopics, pipelineTopics } from '@cdp/kafka';
import { createLogger } from '@cdp/logging';
import { projectedTopics, watchDecider, watchLogEnds } from '@cdp/read-models';
import { connectMongo } from '@cdp/mongo';
import { createApp } from './app';
import { loadIngestConfig } from './config';
import { pollingConfigFrom } from './polling/polling-config';
import { createPollingManager } from './polling/polling-manager';
import { writeSyncMetrics } from './polling/sync-metrics';
import { createSecretBox } from './tenants/secret-box';
import { createTenantStore } from './tenants/tenant-store';
import { createRawLog } from './webhook/raw-log';
import { createWebhookCounts } from './webhook/webhook-counts';
import { createDeciderWorker } from './worker/decider-worker';
import { watchDeciderLag } from './worker/decider-lag';
import { superviseDecider } from './worker/supervised-decider';
import { createRawLogMarks } from './worker/raw-log-marks';
import { createStateStore } from './worker/state-store';

const config = loadIngestConfig();
const log = createLogger('ingest', config.LOG_LEVEL);
const topics = topicNames(config.TOPIC_PREFIX);
const metrics = createMetrics('cdp_ingest');

const kafka = createKafka({
  brokers: config.KAFKA_BROKERS,
  clientId: 'cdp-ingest',
  logLevel: config.LOG_LEVEL,
});
const admin = kafka.admin();
await admin.connect();
await ensureTopics(admin, pipelineTopics(topics, config.TOPIC_PARTITIONS, config.TOPIC_REPLICATION_FACTOR));
const { client: mongo, db } = await connectMongo(config.MONGODB_URI, config.MONGODB_DB);
const tenants = createTenantStore(db, createSecretBox(config.SECRETS_KEY));
await tenants.ensureIndexes();
const key = await tenants.checkKey();
if (!key.ok) {
  log.fatal({ code: key.error.code }, key.error.message);
  process.exit(1);
}
const codec = await createEventCodec({ registryUrl: config.SCHEMA_REGISTRY_URL, topics });
const rawLog = await createRawLog(kafka, topics.raw);
const webhookCounts = createWebhookCounts(db);
await webhookCounts.ensureIndexes();
const DECIDER_STALL_MS = 60_000;
const deciderGroupId = deciderGroupIdOf(config.TOPIC_PREFIX);
const marks = createRawLogMarks(db, {
  onError: (error) => log.warn({ err: error }, "the decider's raw log mark not recorded"),
});
const decider = superviseDecider(
  (hooks) =>
    createDeciderWorker({
      kafka,
      admin,
      codec,
      states: createStateStore(db),
      marks,
      commands: createCommandStore(db),
      topics,
      groupId: deciderGroupId,
      log,
      metrics: { decided: (outcome, count = 1) => metrics.inc('decided_total', { outcome }, count) },
      ...hooks,
    }),
  { log },
);
await decider.start();
// In ms, as the read API counts it: a record count cannot tell a decider stuck from one busy with a backfill.
const deciderWaits = watchDecider(admin, {
  groupId: deciderGroupId,
  rawTopic: topics.raw,
  intervalMs: 5_000,
  onError: (error) => log.warn({ err: error }, "the decider's lag not read"),
});
const deciderLag = watchDeciderLag(admin, {
  groupId: deciderGroupId,
  rawTopic: topics.raw,
  onLag: (records) => metrics.set('decider_lag_records', records),
  onError: (error) => log.warn({ err: error }, "the decider's lag not read"),
});
const logEnds = watchLogEnds(admin, projectedTopics(topics), {
  onError: (error) => log.warn({ err: error }, 'Kafka log ends not read'),
});
const polling = createPollingManager({
  tenants,
  rawLog,
  db,
  log,
  config: pollingConfigFrom(config),
  logEnds,
  deciderLagMs: () => deciderWaits.lagMs(),
});
await polling.start();
metrics.collect((out) => {
  const nowMs = Date.now();
  // At each scrape, from the last offsets read: it keeps growing while a read fails, as a stuck decider's wait does.
  out.gauge('decider_lag_ms', deciderWaits.lagMs(nowMs));
  for (const { tenantId, stats } of polling.polled()) writeSyncMetrics(out, tenantId, stats, nowMs);
});

const app = createApp({
  tenants,
  rawLog,
  log,
  metrics,
  checks: [
    { name: 'mongodb', check: async () => (await db.command({ ping: 1 })).ok === 1 },
    { name: 'kafka', check: async () => (await admin.describeCluster()).brokers.length > 0 },
    // Webhooks still land in the raw log without it, but no domain event would come of them.
    // False while its consumer keeps being replaced.
    { name: 'decider', check: () => Promise.resolve(decider.running()) },
    // Failing on every try for a minute: kafkajs retries the record forever, so it never looks stopped.
    { name: 'decider-progress', check: () => Promise.resolve(decider.failingForMs() < DECIDER_STALL_MS) },
  ],
  adminToken: config.ADMIN_TOKEN,
  metricsToken: config.METRICS_TOKEN,
  webhookBodyLimit: config.WEBHOOK_BODY_LIMIT,
  webhookAppendTimeoutMs: config.WEBHOOK_APPEND_TIMEOUT_MS,
  defaultApiBaseUrl: config.HARAVAN_API_BASE_URL,
  onTenantCreated: (tenantId) => {
    log.info({ tenantId }, 'tenant connected');
    void polling.addTenant(tenantId);
  },
  syncStatus: (tenantId) => polling.status(tenantId),
  webhookCounts,
});
const server = app.listen(config.INGEST_PORT, config.INGEST_HOST, () =>
  log.info({ url: `http://${config.INGEST_HOST}:${config.INGEST_PORT}` }, 'ingest listening'),
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  server.close();
  logEnds.stop();
  deciderLag.stop();
  deciderWaits.stop();
  await polling.stop();
  await decider.stop();
  await rawLog.close();
  await webhookCounts.close();
  await admin.disconnect();
  await mongo.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

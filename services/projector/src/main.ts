import express from 'express';
import { topicNames } from '@cdp/contracts';
import { createMetrics, opsRouter, requireAdmin } from '@cdp/http';
import { createEventCodec, createKafka, ensureTopics, pipelineTopics } from '@cdp/kafka';
import { createLogger } from '@cdp/logging';
import { connectMongo } from '@cdp/mongo';
import { loadProjectorConfig } from './config';
import { createProjector } from './projector';
import { defaultCollections } from '@cdp/read-models';
import { parkedRouter } from './parked-routes';
import { createProgressWriter } from './progress-writer';
import { createReadModelWriter } from './read-model-writer';

const config = loadProjectorConfig();
const log = createLogger('projector', config.LOG_LEVEL);
const topics = topicNames(config.TOPIC_PREFIX);
const metrics = createMetrics('cdp_projector');

const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'cdp-projector' });
const admin = kafka.admin();
await admin.connect();
await ensureTopics(admin, pipelineTopics(topics));
const { client: mongo, db } = await connectMongo(config.MONGODB_URI, config.MONGODB_DB);
const writer = createReadModelWriter(db, defaultCollections, config.REVENUE_POLICY);
await writer.ensureIndexes();
const projector = createProjector({
  kafka,
  db,
  codec: await createEventCodec({ registryUrl: config.SCHEMA_REGISTRY_URL, topics }),
  writer,
  progress: createProgressWriter(db),
  topics,
  groupId: `${config.TOPIC_PREFIX}cdp-projector`,
  maxAttempts: config.PROJECTOR_MAX_ATTEMPTS,
  log,
  metrics: {
    applied: (outcome) => metrics.inc('events_total', { outcome }),
    lastAppliedAt: (topic, partition, at) =>
      metrics.set('last_applied_event_recorded_ms', at, { topic, partition: String(partition) }),
  },
});
await projector.start();

const ops = express()
  .use(
    opsRouter({
      metrics,
      checks: [{ name: 'mongodb', check: async () => (await db.command({ ping: 1 })).ok === 1 }],
    }),
  )
  .use('/admin', requireAdmin(config.ADMIN_TOKEN), parkedRouter(projector));
const server = ops.listen(config.PROJECTOR_PORT, config.PROJECTOR_HOST, () =>
  log.info({ port: config.PROJECTOR_PORT }, 'projector running'),
);

async function shutdown(signal: string) {
  log.info({ signal }, 'shutting down');
  server.close();
  await projector.stop();
  await admin.disconnect();
  await mongo.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

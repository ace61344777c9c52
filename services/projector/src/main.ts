import { topicNames } from '@cdp/contracts';
import { createMetrics } from '@cdp/http';
import { createEventCodec, createKafka, ensureTopics, pipelineTopics } from '@cdp/kafka';
import { createLogger } from '@cdp/logging';
import { connectMongo } from '@cdp/mongo';
import { currentGeneration } from '@cdp/read-models';
import { loadProjectorConfig } from './config';
import { createGenerationProjector, type GenerationDeps } from './generation-projector';
import { customerRebuildRequests } from './customer-rebuild-requests';
import { followGeneration } from './follow-generation';
import { serveCustomerRebuilds } from './customer-rebuild-runner';
import { opsApp } from './ops-app';
import { watchProjectionHealth } from './projection-health';
import { rebuildCustomer } from './rebuild-customer';
import { superviseProjector } from './supervised-projector';
import { holdLease, projectorLease } from './writer-lease';

const config = loadProjectorConfig();
const log = createLogger('projector', config.LOG_LEVEL);
const topics = topicNames(config.TOPIC_PREFIX);
const metrics = createMetrics('cdp_projector');

const kafka = createKafka({
  brokers: config.KAFKA_BROKERS,
  clientId: 'cdp-projector',
  logLevel: config.LOG_LEVEL,
});
const admin = kafka.admin();
await admin.connect();
await ensureTopics(admin, pipelineTopics(topics, config.TOPIC_PARTITIONS, config.TOPIC_REPLICATION_FACTOR));
const { client: mongo, db } = await connectMongo(config.MONGODB_URI, config.MONGODB_DB);
const deps: GenerationDeps = {
  kafka,
  db,
  codec: await createEventCodec({ registryUrl: config.SCHEMA_REGISTRY_URL, topics }),
  topics,
  topicPrefix: config.TOPIC_PREFIX,
  log,
  metrics: {
    applied: (outcome) => metrics.inc('events_total', { outcome }),
    lastAppliedAt: (topic, partition, at) =>
      metrics.set('last_applied_event_recorded_ms', at, { topic, partition: String(partition) }),
  },
  maxAttempts: config.PROJECTOR_MAX_ATTEMPTS,
  groupTimeouts: {
    sessionMs: config.PROJECTOR_SESSION_TIMEOUT_MS,
    rebalanceMs: config.PROJECTOR_REBALANCE_TIMEOUT_MS,
  },
};

// The live projector is a single writer: a second process stands by until this one's lease lapses.
const held = await holdLease(projectorLease(db, config.PROJECTOR_LEASE_TTL_MS), 'live', {
  log,
  onLost: () => {
    // Another process writes now; exiting loses nothing (offsets follow flushed writes only).
    log.error('writer lease lost to another projector; exiting');
    process.exit(1);
  },
});

// A finished rebuild switches the generation; the live projector follows it onto the new collections.
const generations = followGeneration(
  { current: () => currentGeneration(db), follow: () => projector.restart(), log },
  await currentGeneration(db),
);
const projector = superviseProjector(
  (onCrash) => createGenerationProjector(deps, generations.generation(), { onCrash }),
  { log },
);
await projector.start();
generations.start();

// `pnpm replay --customer` asks; the customer is rebuilt here, in turn with the projector's batches.
const rebuildRequests = customerRebuildRequests(db);
await rebuildRequests.ensureIndexes();
const customerRebuilds = serveCustomerRebuilds(
  rebuildRequests,
  (tenantId, customerId) =>
    rebuildCustomer({ ...deps, admin }, tenantId, customerId, {
      exclusive: (work) => projector.exclusive(work),
    }),
  { log },
);

const health = watchProjectionHealth({
  admin,
  db,
  topics,
  topicPrefix: config.TOPIC_PREFIX,
  generation: () => generations.generation(),
  metrics,
  log,
});
const ops = opsApp({
  metrics,
  checks: [
    { name: 'mongodb', check: async () => (await db.command({ ping: 1 })).ok === 1 },
    ...health.checks,
  ],
  adminToken: config.ADMIN_TOKEN,
  log,
  projector: () => projector.current,
});
const server = ops.listen(config.PROJECTOR_PORT, config.PROJECTOR_HOST, () =>
  log.info({ port: config.PROJECTOR_PORT, generation: generations.generation() }, 'projector running'),
);

async function shutdown(signal: string) {
  log.info({ signal }, 'shutting down');
  generations.stop();
  health.stop();
  customerRebuilds.stop();
  server.close();
  await projector.stop();
  await held?.release();
  await admin.disconnect();
  await mongo.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

import { topicNames } from '@cdp/contracts';
import { createMetrics } from '@cdp/http';
import { createEventCodec, createKafka, ensureTopics, pipelineTopics } from '@cdp/kafka';
import { createLogger } from '@cdp/logging';
import { connectMongo } from '@cdp/mongo';
import { currentGeneration } from '@cdp/read-models';
import { loadProjectorConfig } from './config';
import { createGenerationProjector, type GenerationDeps } from './generation-projector';
import { createLargeBuyers } from './large-buyers';
import { customerRebuildRequests } from './customer-rebuild-requests';
import { followGeneration } from './follow-generation';
import { serveCustomerRebuilds } from './customer-rebuild-runner';
import { opsApp } from './ops-app';
import { watchProjectionHealth } from './projection-health';
import { rebuildCustomer } from './rebuild-customer';
import { superviseProjector, type SupervisedProjector } from './supervised-projector';
import { holdLease, projectorLease, type HeldLease } from './writer-lease';

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
const largeBuyers = createLargeBuyers(log);
metrics.collect((out) => out.gauge('largest_buyer_orders', largeBuyers.largest()));
/** Set once this process holds the writer lease. */
let writerLease: HeldLease | null = null;
const deps: GenerationDeps = {
  kafka,
  admin,
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
  largeBuyers,
  inlineEntries: config.PROJECTOR_INLINE_ENTRIES,
  // The projector runs once the lease is held: `holding` has resolved by then.
  mayWrite: () => writerLease?.writable() ?? false,
  maxAttempts: config.PROJECTOR_MAX_ATTEMPTS,
  groupTimeouts: {
    sessionMs: config.PROJECTOR_SESSION_TIMEOUT_MS,
    rebalanceMs: config.PROJECTOR_REBALANCE_TIMEOUT_MS,
  },
};

// A finished rebuild switches the generation; the live projector follows it onto the new collections.
// Followed while standing by too, so the projector starts on the generation served then.
// Made once the lease is held; a switch seen while it starts is followed in turn after its start.
let live: SupervisedProjector | null = null;
/** Set once the live projector runs. */
let running = false;
const generations = followGeneration(
  { current: () => currentGeneration(db), follow: () => live?.restart() ?? Promise.resolve(), log },
  await currentGeneration(db),
);
generations.start();

const health = watchProjectionHealth({
  admin,
  db,
  topics,
  topicPrefix: config.TOPIC_PREFIX,
  generation: () => generations.generation(),
  metrics,
  log,
});
// Served while standing by: an orchestrator's liveness probe must not kill the standby.
const ops = opsApp({
  metrics,
  checks: [
    { name: 'mongodb', check: async () => (await db.command({ ping: 1 })).ok === 1 },
    ...health.checks,
  ],
  adminToken: config.ADMIN_TOKEN,
  log,
  projector: () => (running && live ? live.current : null),
});
// A standby is as ready as the projection it would take over (a rollout must not wait on it).
metrics.collect((out) => out.gauge('writer', running ? 1 : 0));
const server = ops.listen(config.PROJECTOR_PORT, config.PROJECTOR_HOST, () =>
  log.info({ port: config.PROJECTOR_PORT }, 'projector ops listening'),
);

let customerRebuilds: { stop(): void } | null = null;
const standingBy = new AbortController();
// The lease as it is taken: a stop waits for it, so one taken as the stop came is given back.
let holding: Promise<HeldLease | null> = Promise.resolve(null);
let stopping = false;
async function shutdown(signal: string, exitCode = 0) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  standingBy.abort();
  generations.stop();
  health.stop();
  customerRebuilds?.stop();
  server.close();
  await live?.stop();
  await (await holding.catch(() => null))?.release();
  await admin.disconnect();
  await mongo.close();
  process.exit(exitCode);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

/** Writes the read models once this process holds the lease. */
async function writeOnceHeld(): Promise<void> {
  const projector = superviseProjector(
    (onCrash) => createGenerationProjector(deps, generations.generation(), { onCrash }),
    {
      log,
      // As at the first start: the process stops rather than stand with every check passing.
      onRefused: (error) => {
        log.fatal({ code: error.code }, error.message);
        void shutdown(error.code, 1);
      },
    },
  );
  live = projector;
  await projector.start();
  running = true;
  // `pnpm replay --customer` asks; the customer is rebuilt here, in turn with the projector's batches.
  const rebuildRequests = customerRebuildRequests(db);
  await rebuildRequests.ensureIndexes();
  if (stopping) return;
  customerRebuilds = serveCustomerRebuilds(
    rebuildRequests,
    (tenantId, customerId) =>
      rebuildCustomer({ ...deps, admin }, tenantId, customerId, {
        exclusive: (work) => projector.exclusive(work),
      }),
    { log },
  );
  log.info({ generation: generations.generation() }, 'projector running');
}

// The live projector is a single writer: a second process stands by until this one's lease lapses.
holding = holdLease(projectorLease(db, config.PROJECTOR_LEASE_TTL_MS), 'live', {
  log,
  signal: standingBy.signal,
  onLost: () => {
    // Another process writes now; exiting loses nothing (offsets follow flushed writes only).
    log.error('writer lease lost to another projector; exiting');
    process.exit(1);
  },
});
const held = await holding;
writerLease = held;
// A stop meanwhile ends what it interrupted (the store or Kafka closed under it): not a failure.
if (held && !stopping)
  await writeOnceHeld().catch((error: unknown) => {
    if (stopping) return;
    // Refused at its first start: the lease is given back on the way out.
    log.fatal({ err: error }, 'the projector could not start');
    void shutdown('start failed', 1);
  });

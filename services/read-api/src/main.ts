import { createMetrics } from '@cdp/http';
import { createLogger } from '@cdp/logging';
import { connectMongo } from '@cdp/mongo';
import { deciderGroupId, topicNames } from '@cdp/contracts';
import { createKafka } from '@cdp/kafka';
import { projectedTopics, projectionHealthy, watchDecider, watchLogEnds } from '@cdp/read-models';
import { createServer } from 'node:http';
import { createApp } from './app';
import { loadReadApiConfig } from './config';
import { followGeneration } from './generation-follower';

const config = loadReadApiConfig();
const log = createLogger('read-api', config.LOG_LEVEL);
const { client: mongo, db } = await connectMongo(config.MONGODB_URI, config.MONGODB_DB);
const metrics = createMetrics('cdp_read_api');
// Where the domain topics end: the lag a read reports counts the events no projector has fetched yet.
const admin = createKafka({
  brokers: config.KAFKA_BROKERS,
  clientId: 'cdp-read-api',
  logLevel: config.LOG_LEVEL,
}).admin();
const topics = topicNames(config.TOPIC_PREFIX);
// Reads are served with Kafka down too: each read of the ends connects first (a no-op once connected).
const offsets = {
  fetchTopicOffsets: async (topic: string) => {
    await admin.connect();
    return admin.fetchTopicOffsets(topic);
  },
  fetchOffsets: async (opts: { groupId: string; topics: string[] }) => {
    await admin.connect();
    return admin.fetchOffsets(opts);
  },
};
const logEnds = watchLogEnds(offsets, projectedTopics(topics), {
  onError: (error) => log.warn({ err: error }, 'Kafka log ends not read'),
});
// What ingest accepted but has not decided yet: a backfill's records wait there first.
const deciderLag = watchDecider(offsets, {
  groupId: deciderGroupId(config.TOPIC_PREFIX),
  rawTopic: topics.raw,
  onError: (error) => log.warn({ err: error }, "the decider's progress not read"),
});
// Not awaited: until Kafka answers, lag counts only the events the projector has fetched.
void logEnds.refresh().catch(() => undefined);
void deciderLag.refresh().catch(() => undefined);
const checks = [
  { name: 'mongodb', check: async () => (await db.command({ ping: 1 })).ok === 1 },
  // The contract's readiness: the projection served is caught up or progressing.
  { name: 'projector', check: () => projectionHealthy(db, follower.generation(), logEnds) },
];
const follower = await followGeneration(
  db,
  (collections) =>
    createApp({
      db,
      log,
      metrics,
      checks,
      collections,
      logEnds,
      deciderLag,
      adminToken: config.ADMIN_TOKEN,
    }),
  { log },
);
const server = createServer(follower.handle).listen(config.READ_API_PORT, config.READ_API_HOST, () =>
  log.info({ url: `http://${config.READ_API_HOST}:${config.READ_API_PORT}` }, 'read API listening'),
);

async function shutdown(signal: string) {
  log.info({ signal }, 'shutting down');
  follower.stop();
  logEnds.stop();
  deciderLag.stop();
  server.close();
  await admin.disconnect();
  await mongo.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

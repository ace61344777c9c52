import { createMetrics } from '@cdp/http';
import { createLogger } from '@cdp/logging';
import { connectMongo } from '@cdp/mongo';
import { projectionHealthy } from '@cdp/read-models';
import { createServer } from 'node:http';
import { createApp } from './app';
import { loadReadApiConfig } from './config';
import { followGeneration } from './generation-follower';

const config = loadReadApiConfig();
const log = createLogger('read-api', config.LOG_LEVEL);
const { client: mongo, db } = await connectMongo(config.MONGODB_URI, config.MONGODB_DB);
const metrics = createMetrics('cdp_read_api');
const checks = [
  { name: 'mongodb', check: async () => (await db.command({ ping: 1 })).ok === 1 },
  // The contract's readiness: the projection served is caught up or progressing.
  { name: 'projector', check: () => projectionHealthy(db, follower.generation()) },
];
const follower = await followGeneration(
  db,
  (collections) => createApp({ db, log, metrics, checks, collections, adminToken: config.ADMIN_TOKEN }),
  { log },
);
const server = createServer(follower.handle).listen(config.READ_API_PORT, config.READ_API_HOST, () =>
  log.info({ url: `http://${config.READ_API_HOST}:${config.READ_API_PORT}` }, 'read API listening'),
);

async function shutdown(signal: string) {
  log.info({ signal }, 'shutting down');
  follower.stop();
  server.close();
  await mongo.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

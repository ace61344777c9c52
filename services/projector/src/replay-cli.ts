import { topicNames } from '@cdp/contracts';
import { createEventCodec, createKafka } from '@cdp/kafka';
import { createLogger } from '@cdp/logging';
import { connectMongo } from '@cdp/mongo';
import { loadReplayConfig, parseReplayArgs } from './replay-config';
import { rebuildCustomer } from './rebuild-customer';
import { cancelRebuild, rebuild } from './rebuild';
import { progressLine } from './replay-progress';
import { holdLease, projectorLease, type HeldLease } from './writer-lease';

/** `pnpm replay`: rebuild the read models (or one customer) from the log. See REPLAY_USAGE. */
let args;
try {
  args = parseReplayArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
const config = loadReplayConfig();
const topics = topicNames(config.TOPIC_PREFIX);
const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'cdp-replay' });
const admin = kafka.admin();
await admin.connect();
const { client: mongo, db } = await connectMongo(config.MONGODB_URI, config.MONGODB_DB);
const codec = await createEventCodec({ registryUrl: config.SCHEMA_REGISTRY_URL, topics });
const deps = {
  kafka,
  admin,
  db,
  codec,
  topics,
  topicPrefix: config.TOPIC_PREFIX,
  log: createLogger('replay', config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL),
  metrics: { applied: () => undefined, lastAppliedAt: () => undefined },
};

// One rebuild at a time: a second one (or a --cancel) would write or drop the same generation.
const REBUILD_LEASE_TTL_MS = 30_000;
const lease = projectorLease(db, REBUILD_LEASE_TTL_MS);
let rebuildLease: HeldLease | null = null;
if (args.mode !== 'customer') {
  if ((await lease.acquire('rebuild')) === null) {
    const holder = (await lease.current('rebuild'))?.holder ?? 'another process';
    console.error(`a rebuild is running (${holder}); wait for it, or stop it first`);
    process.exit(1);
  }
}

let exitCode = 0;
switch (args.mode) {
  case 'cancel': {
    const suffix = await cancelRebuild(deps);
    console.log(
      suffix === null ? 'no rebuild in progress' : `cancelled rebuild ${suffix}; its collections are dropped`,
    );
    break;
  }
  case 'customer': {
    const { applied } = await rebuildCustomer(deps, args.tenantId, args.customerId);
    console.log(`rebuilt customer ${args.tenantId}:${args.customerId} from ${applied} events`);
    break;
  }
  case 'rebuild': {
    let interrupt: () => void = () => undefined;
    const cancelled = new Promise<void>((resolve) => (interrupt = resolve));
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    rebuildLease = await holdLease(lease, 'rebuild', {
      log: deps.log,
      // This process stalled past the ttl and another rebuild took over: stop writing (it resumes).
      onLost: () => interrupt(),
    });
    const tty = process.stderr.isTTY;
    const result = await rebuild(deps, {
      ...(args.from !== undefined && { from: args.from }),
      switchWhenDone: args.switch,
      restart: args.restart,
      cancelled,
      onProgress: (report, rate) =>
        process.stderr.write(`${tty ? '\r' : ''}${progressLine(report, rate)}${tty ? '' : '\n'}`),
    });
    process.stderr.write('\n');
    switch (result.status) {
      case 'switched':
        console.log(
          `rebuilt ${result.events} events into generation ${result.suffix} in ${result.seconds.toFixed(1)}s; the read API and projector now use it`,
        );
        break;
      case 'built':
        console.log(
          `rebuilt ${result.events} events into generation ${result.suffix}; not switched (--no-switch)`,
        );
        break;
      case 'paused':
        console.log(
          `paused rebuild ${result.suffix}; run pnpm replay again to resume, or pnpm replay --cancel`,
        );
        exitCode = 130;
        break;
      case 'failed':
        console.error(`rebuild ${result.suffix} failed: ${result.reason}`);
        exitCode = 1;
        break;
    }
  }
}
await rebuildLease?.release();
if (args.mode === 'cancel') await lease.release('rebuild');
await admin.disconnect();
await mongo.close();
process.exit(exitCode);

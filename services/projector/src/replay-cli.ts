import { setTimeout as sleep } from 'node:timers/promises';
import { topicNames } from '@cdp/contracts';
import { createEventCodec, createKafka } from '@cdp/kafka';
import { createLogger } from '@cdp/logging';
import { connectMongo } from '@cdp/mongo';
import { loadReplayConfig, parseReplayArgs } from './replay-config';
import { customerRebuildRequests } from './customer-rebuild-requests';
import { runCustomerRebuilds } from './customer-rebuild-runner';
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
// Its progress bar is what an operator watches: the info lines of a run stay out of the way.
const logLevel = config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL;
const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'cdp-replay', logLevel });
const admin = kafka.admin();
await admin.connect();
// Before anything is written: a broker without the event topics is another deployment's, or none.
const eventTopics = [topics.orders, topics.customers, topics.products];
const listed = new Set(await admin.listTopics());
const absent = eventTopics.filter((topic) => !listed.has(topic));
if (absent.length > 0) {
  console.error(
    `${config.KAFKA_BROKERS.join(',')} has no ${absent.join(', ')}: not this deployment's events (check KAFKA_BROKERS and TOPIC_PREFIX; pnpm replay takes the infrastructure pnpm start does)`,
  );
  await admin.disconnect();
  process.exit(1);
}
const { client: mongo, db } = await connectMongo(config.MONGODB_URI, config.MONGODB_DB);
const codec = await createEventCodec({ registryUrl: config.SCHEMA_REGISTRY_URL, topics });
const deps = {
  kafka,
  admin,
  db,
  codec,
  topics,
  topicPrefix: config.TOPIC_PREFIX,
  inlineEntries: config.PROJECTOR_INLINE_ENTRIES,
  log: createLogger('replay', logLevel),
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

/**
 * The live projector rebuilds the customer, in turn with its own writes; with none running, this
 * process takes the projector's lease (a projector starting meanwhile stands by) and does it.
 */
async function requestCustomerRebuild(tenantId: string, customerId: string) {
  const requests = customerRebuildRequests(db);
  const id = await requests.request(tenantId, customerId);
  const live = projectorLease(db, REBUILD_LEASE_TTL_MS);
  let told = false;
  for (;;) {
    const request = await requests.get(id);
    if (!request) throw new Error(`the customer rebuild request ${id} disappeared`);
    if (request.state === 'done' || request.state === 'failed') return request;
    // Pending, or running in a projector that may have died since: whoever holds the lease runs it.
    const held = await holdLease(live, 'live', {
      log: deps.log,
      // Stalled past the ttl: a projector writes beside this rebuild, which may need running again.
      onLost: () => deps.log.warn('the live lease was taken over during a customer rebuild'),
      once: true,
    });
    if (held) {
      try {
        await runCustomerRebuilds(
          requests,
          (tenant, customer) => rebuildCustomer(deps, tenant, customer),
          deps.log,
        );
      } finally {
        await held.release();
      }
      // Left pending by a failure that may pass (Kafka away): tried again shortly, as a projector would.
      if ((await requests.get(id))?.state === 'pending') await sleep(1_000);
      continue;
    }
    if (!told) {
      told = true;
      const holder = (await live.current('live'))?.holder ?? 'another process';
      console.error(
        `the live projector (${holder}) rebuilds the customer between its batches; waiting (Ctrl-C stops waiting, not the rebuild)`,
      );
    }
    await sleep(500);
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
    const outcome = await requestCustomerRebuild(args.tenantId, args.customerId);
    if (outcome.state === 'done' && !outcome.applied) {
      console.error(
        `no event of customer ${args.tenantId}:${args.customerId} applies (none in the log, or its key is parked): nothing rebuilt`,
      );
      exitCode = 1;
    } else if (outcome.state === 'done') {
      console.log(`rebuilt customer ${args.tenantId}:${args.customerId} from ${outcome.applied} events`);
    } else {
      console.error(
        `rebuilding customer ${args.tenantId}:${args.customerId} failed: ${outcome.error ?? '?'}`,
      );
      exitCode = 1;
    }
    break;
  }
  case 'rebuild': {
    let interrupt: () => void = () => undefined;
    const cancelled = new Promise<void>((resolve) => (interrupt = resolve));
    process.once('SIGINT', interrupt);
    // Sent to the process group, a SIGTERM reaches this process and `pnpm replay`'s wrapper, which
    // passes it on: the second must not end the pause the first began.
    process.on('SIGTERM', interrupt);
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
      onProgress: (report, rate) => {
        process.stderr.write(`${tty ? '\r' : ''}${progressLine(report, rate)}${tty ? '' : '\n'}`);
      },
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
          `paused rebuild ${result.suffix}; run pnpm replay${args.switch ? '' : ' --no-switch'} again to resume, or pnpm replay --cancel`,
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

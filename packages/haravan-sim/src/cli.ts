import { createLogger } from '@cdp/logging';
import { parseCliArgs, USAGE } from './cli-args.js';
import { createLiveActivity } from './live-activity.js';
import { createSimShop } from './sim-shop.js';
import { startSimServer } from './sim-server.js';
import { createWebhookDispatcher, type WebhookDispatcher } from './webhook-dispatcher.js';

const log = createLogger('haravan-sim');

async function main(): Promise<void> {
  let config;
  try {
    config = parseCliArgs(
      process.argv.slice(2).filter((a) => a !== '--'),
      Date.now(),
    );
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  }
  const shop = createSimShop({
    seed: config.seed,
    orgId: config.orgId,
    accessToken: config.accessToken,
    webhookSecret: config.webhookSecret,
    startTime: config.start,
    // Live changes follow wall time; a 1 s step per action would run ahead of it.
    stepMs: 5,
  });
  // History is generated before any webhook is attached: a connecting CDP backfills it by polling.
  const summary = shop.generate({
    customers: config.customers,
    orders: config.orders,
    products: config.products,
    spanDays: config.spanDays,
  });
  const server = await startSimServer(shop, { port: config.port, host: config.host });
  log.info(
    {
      url: server.url,
      orgId: shop.config.orgId,
      seed: config.seed,
      changes: summary.changes,
      cases: Object.keys(summary.cases).length,
    },
    'haravan simulator listening',
  );

  const dispatchers: WebhookDispatcher[] = config.webhookUrls.map((targetUrl) =>
    createWebhookDispatcher(shop, {
      targetUrl,
      faults: config.faults,
      autoFlushMs: config.flushMs,
      retry: { attempts: 5, baseMs: 1000 },
    }),
  );
  const step = createLiveActivity(shop, config.seed);
  const live = config.liveMs
    ? setInterval(() => {
        // Live changes happen "now", so pollers using wall-clock windows see them.
        shop.clock.advanceTo(Date.now());
        log.debug({ change: step() }, 'live change');
      }, config.liveMs)
    : undefined;

  const shutdown = async () => {
    if (live) clearInterval(live);
    await Promise.all(dispatchers.map((d) => d.close()));
    await server.close();
    log.info({ webhooks: dispatchers.map((d) => d.stats()) }, 'haravan simulator stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

await main();

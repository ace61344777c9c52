import { setTimeout as sleep } from 'node:timers/promises';
import type { ChangeEvent } from './change-log.js';
import { planFaults, type WebhookFaults } from './fault-plan.js';
import { createRng } from './prng.js';
import type { SimShop } from './sim-shop.js';
import type { WebhookTopic } from './topics.js';
import { signWebhook } from './webhook-signature.js';

export interface WebhookDispatcherOptions {
  targetUrl: string;
  faults?: WebhookFaults;
  /** Attempts in all (first try included); waits baseMs, 2·baseMs, 4·baseMs… between them. */
  retry?: { attempts: number; baseMs: number };
  /** Seeds the fault plan; defaults to the shop's seed. */
  seed?: number;
  /** Only these topics are delivered (Haravan webhooks are per topic). Default: all. */
  topics?: readonly WebhookTopic[];
  timeoutMs?: number;
  /** Flush on a timer, for the CLI and demos. */
  autoFlushMs?: number;
}

export interface DeliveryLog {
  seq: number;
  topic: WebhookTopic;
  resourceId: number;
  updatedAt: string;
  copy: 0 | 1;
  attempts: number;
  /** Last HTTP status, or 0 when the request itself failed. */
  status: number;
  delivered: boolean;
}

export interface DeliveryCounts {
  sent: number;
  delivered: number;
  failed: number;
  dropped: number;
  deferred: number;
  duplicated: number;
  reordered: number;
  attempts: number;
}

export interface DeliveryReport extends DeliveryCounts {
  deliveries: DeliveryLog[];
}

export interface DispatcherStats extends DeliveryCounts {
  /** Changes waiting for the next flush. */
  pending: number;
}

export interface WebhookDispatcher {
  /** Delivers every change made since the last flush (plus deferred ones), with faults applied. */
  flush(): Promise<DeliveryReport>;
  stats(): DispatcherStats;
  /** Haravan's subscription check: GET ?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C, expects 200 and C. */
  verifyHandshake(verifyToken: string): Promise<boolean>;
  close(): Promise<void>;
}

const emptyCounts = (): DeliveryCounts => ({
  sent: 0,
  delivered: 0,
  failed: 0,
  dropped: 0,
  deferred: 0,
  duplicated: 0,
  reordered: 0,
  attempts: 0,
});

export function createWebhookDispatcher(shop: SimShop, options: WebhookDispatcherOptions): WebhookDispatcher {
  const seeded = createRng(options.seed ?? shop.config.seed);
  const rng = seeded.fork('webhooks');
  // Separate stream: a handshake must not shift the fault plan.
  const challenges = seeded.fork('handshake');
  const retry = options.retry ?? { attempts: 3, baseMs: 1000 };
  const topics = options.topics ? new Set(options.topics) : undefined;
  let pending: ChangeEvent[] = [];
  const totals = emptyCounts();
  const unsubscribe = shop.subscribe((event) => {
    if (!topics || topics.has(event.change.topic)) pending.push(event);
  });

  async function post(event: ChangeEvent): Promise<number> {
    const body = Buffer.from(event.body, 'utf8');
    try {
      const response = await fetch(options.targetUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Haravan-Topic': event.change.topic,
          'X-Haravan-Org-Id': String(shop.config.orgId),
          'X-Haravan-Hmacsha256': signWebhook(body, shop.config.webhookSecret),
        },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }

  async function deliver(event: ChangeEvent, copy: 0 | 1, delayMs: number): Promise<DeliveryLog> {
    if (delayMs > 0) await sleep(delayMs);
    let status = 0;
    let attempts = 0;
    while (attempts < retry.attempts && !(closed && attempts > 0)) {
      attempts++;
      status = await post(event);
      // Haravan retries anything but 200.
      if (status === 200) break;
      if (attempts < retry.attempts) await sleep(retry.baseMs * 2 ** (attempts - 1));
    }
    const { seq, topic, resourceId, updatedAt } = event.change;
    return { seq, topic, resourceId, updatedAt, copy, attempts, status, delivered: status === 200 };
  }

  let running: Promise<unknown> = Promise.resolve();
  // Once closed, in-flight deliveries stop retrying so shutdown is quick.
  let closed = false;
  async function flushNow(): Promise<DeliveryReport> {
    const batch = pending;
    pending = [];
    const plan = planFaults(batch.length, options.faults ?? {}, rng);
    pending.push(...plan.deferred.map((i) => batch[i] as ChangeEvent));
    const jobs = plan.sends.map((s) => () => deliver(batch[s.item] as ChangeEvent, s.copy, s.delayMs));
    const deliveries: DeliveryLog[] = [];
    if (options.faults?.burst) deliveries.push(...(await Promise.all(jobs.map((job) => job()))));
    else for (const job of jobs) deliveries.push(await job());
    const report: DeliveryReport = {
      sent: deliveries.length,
      delivered: deliveries.filter((d) => d.delivered).length,
      failed: deliveries.filter((d) => !d.delivered).length,
      dropped: plan.dropped.length,
      deferred: plan.deferred.length,
      duplicated: plan.duplicated,
      reordered: plan.reordered,
      attempts: deliveries.reduce((acc, d) => acc + d.attempts, 0),
      deliveries,
    };
    for (const key of Object.keys(totals) as (keyof DeliveryCounts)[]) totals[key] += report[key];
    return report;
  }

  const flush = (): Promise<DeliveryReport> => {
    // One flush at a time, so deliveries keep the planned order.
    const next = running.then(flushNow, flushNow);
    running = next;
    return next;
  };

  const timer = options.autoFlushMs
    ? setInterval(() => {
        if (pending.length > 0) void flush().catch(() => undefined);
      }, options.autoFlushMs)
    : undefined;

  return {
    flush,
    stats: () => ({ ...totals, pending: pending.length }),
    async verifyHandshake(verifyToken) {
      const challenge = `sim-${challenges.int(100_000, 999_999)}`;
      const url = new URL(options.targetUrl);
      url.searchParams.set('hub.mode', 'subscribe');
      url.searchParams.set('hub.verify_token', verifyToken);
      url.searchParams.set('hub.challenge', challenge);
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
        return response.status === 200 && (await response.text()) === challenge;
      } catch {
        return false;
      }
    },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      unsubscribe();
      await running.catch(() => undefined);
    },
  };
}

import { parseArgs } from 'node:util';
import type { WebhookFaults } from './fault-plan.js';

export interface CliConfig {
  seed: number;
  customers: number;
  orders: number;
  products: number;
  port: number;
  host: string;
  accessToken: string;
  orgId: number | undefined;
  webhookUrls: string[];
  webhookSecret: string;
  /** Simulated start of the generated history. */
  start: Date;
  spanDays: number;
  /** Milliseconds between live changes; 0 turns live activity off. */
  liveMs: number;
  flushMs: number;
  faults: WebhookFaults;
}

const DAY = 24 * 60 * 60 * 1000;

export const USAGE = `haravan-sim [--seed 42] [--customers 2000] [--orders 20000] [--products N] [--port 3100] [--host 127.0.0.1]
  [--access-token T] [--org-id N] [--webhook-url URL]... [--webhook-secret S]
  [--start ISO] [--span-days 90] [--live-ms 2000] [--flush-ms 1000]
  [--duplicate-rate p] [--reorder-rate p] [--drop-rate p] [--defer-rate p]`;

function number(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number`);
  return n;
}

export function parseCliArgs(argv: string[], now: number): CliConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string' },
      customers: { type: 'string' },
      orders: { type: 'string' },
      products: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'access-token': { type: 'string' },
      'org-id': { type: 'string' },
      'webhook-url': { type: 'string', multiple: true },
      'webhook-secret': { type: 'string' },
      start: { type: 'string' },
      'span-days': { type: 'string' },
      'live-ms': { type: 'string' },
      'flush-ms': { type: 'string' },
      'duplicate-rate': { type: 'string' },
      'reorder-rate': { type: 'string' },
      'drop-rate': { type: 'string' },
      'defer-rate': { type: 'string' },
    },
    strict: true,
  });
  const customers = number(values.customers, 2000, 'customers');
  const spanDays = number(values['span-days'], 90, 'span-days');
  const webhookUrls = values['webhook-url'] ?? [];
  const start = values.start
    ? new Date(values.start)
    : new Date(Math.floor((now - (spanDays + 15) * DAY) / DAY) * DAY);
  if (Number.isNaN(start.getTime())) throw new Error('--start must be an ISO date');
  return {
    seed: number(values.seed, 42, 'seed'),
    customers,
    orders: number(values.orders, 20_000, 'orders'),
    products: number(values.products, Math.max(3, Math.round(customers / 10)), 'products'),
    port: number(values.port, 3100, 'port'),
    host: values.host ?? '127.0.0.1',
    accessToken: values['access-token'] ?? 'sim-access-token',
    orgId: values['org-id'] === undefined ? undefined : number(values['org-id'], 0, 'org-id'),
    webhookUrls,
    webhookSecret: values['webhook-secret'] ?? 'sim-webhook-secret',
    start,
    spanDays,
    liveMs: number(values['live-ms'], webhookUrls.length > 0 ? 2000 : 0, 'live-ms'),
    flushMs: number(values['flush-ms'], 1000, 'flush-ms'),
    faults: {
      duplicateRate: number(values['duplicate-rate'], 0, 'duplicate-rate'),
      reorderRate: number(values['reorder-rate'], 0, 'reorder-rate'),
      dropRate: number(values['drop-rate'], 0, 'drop-rate'),
      deferRate: number(values['defer-rate'], 0, 'defer-rate'),
    },
  };
}

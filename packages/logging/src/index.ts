import { pino, type Logger } from 'pino';

export type { Logger };

/** Secrets never reach a log line, whatever object they ride in. */
const redact = [
  'haravanAccessToken',
  'haravanWebhookSecret',
  '*.haravanAccessToken',
  '*.haravanWebhookSecret',
  'apiKey',
  '*.apiKey',
  // A Tenant's opened secrets (never logged on purpose), at the top or one level down.
  'accessToken',
  'webhookSecret',
  'previousWebhookSecrets',
  'webhookVerifyToken',
  '*.accessToken',
  '*.webhookSecret',
  '*.previousWebhookSecrets',
  '*.webhookVerifyToken',
  'req.headers.authorization',
  'headers.authorization',
];

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, redact: { paths: redact, censor: '[redacted]' } });
}

import express, { Router, type Request, type Response } from 'express';
import type { ErrorView } from '@cdp/http';
import type { Logger } from '@cdp/logging';
import { AppError, isRetriable, oncePer } from '@cdp/contracts';
import { classifyTopic, isUninstallTopic } from '../haravan/topic-catalog';
import { parseJsonBody } from '../haravan/json-body';
import { within } from '../polling/sleep';
import { resourceIdOf } from '../haravan/resource-id';
import { topicShape } from '../haravan/snapshot-header';
import type { Tenant } from '../tenants/tenant-store';
import type { RawLog } from './raw-log';
import type { WebhookAccepted, WebhookKeptRaw } from './webhook-schemas';
import { verifySignature } from './verify-signature';

export interface WebhookDeps {
  rawLog: RawLog;
  tenantByOrgId: (orgId: string) => Promise<Tenant | null>;
  tenantByVerifyToken: (token: string) => Promise<Tenant | null>;
  log: Logger;
  bodyLimit: string;
  /** How long a delivery waits for Kafka before it is answered 503 (Haravan's own wait is shorter than Kafka's retries). */
  appendTimeoutMs: number;
  /** Records Haravan's `app/uninstalled` of a tenant; called once the delivery is in the raw log. */
  onUninstalled: (tenantId: string, at: Date) => Promise<void>;
  /** Each delivery's outcome (`accepted…` or an error code), with its tenant once known. */
  metrics: { webhook: (outcome: string, tenantId: string | null) => void };
}

/**
 * Haravan gives up on an answer after about 5 s (inferred: haravan-api.md) and retries: answered
 * 503 before that, a delivery is retried on time; one that lands in Kafka after all is the same
 * delivery again when retried, one change still.
 */
export const DEFAULT_APPEND_TIMEOUT_MS = 3_000;

/** Present on the deliveries of Haravan's "send test notification" (seen with the value `True`). */
const TEST_HEADER = 'X-Haravan-Test';

/** Its presence marks a test, as Haravan's own code reads it; an explicit false does not. */
const isTestDelivery = (value: string | undefined) =>
  value !== undefined && !/^\s*(false|0)\s*$/i.test(value);

const problem = (res: Response, status: number, code: string, message: string) =>
  res.status(status).json({ error: { code, message } } satisfies ErrorView);

/**
 * Haravan's webhook ingress. The body is read raw because the signature covers the exact bytes;
 * 200 is sent only after the delivery is durably in the raw topic.
 */
export function webhookRouter(deps: WebhookDeps): Router {
  const router = Router();
  const signatureRefusalWorthLogging = oncePer(60_000);

  router.get('/haravan/webhook', async (req: Request, res: Response) => {
    const { 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': challenge } = req.query;
    if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string') {
      return problem(
        res,
        400,
        'ERR_WEBHOOK_BAD_HANDSHAKE',
        'expected hub.mode=subscribe, hub.verify_token and hub.challenge',
      );
    }
    if (!(await deps.tenantByVerifyToken(token))) {
      return problem(res, 401, 'ERR_WEBHOOK_BAD_VERIFY_TOKEN', 'verify token does not match');
    }
    return res.type('text/plain').send(challenge);
  });

  router.post(
    '/haravan/webhook',
    express.raw({ type: () => true, limit: deps.bodyLimit }),
    async (req: Request, res: Response) => {
      const topic = req.get('x-haravan-topic');
      const orgId = req.get('x-haravan-org-id');
      let tenantId: string | null = null;
      const reject = (status: number, code: string, message: string) => {
        deps.metrics.webhook(code, tenantId);
        return problem(res, status, code, message);
      };
      if (!topic || !orgId)
        return reject(
          400,
          'ERR_WEBHOOK_MISSING_HEADERS',
          'X-Haravan-Topic and X-Haravan-Org-Id are required',
        );
      const tenant = await deps.tenantByOrgId(orgId);
      if (!tenant) return reject(404, 'ERR_WEBHOOK_UNKNOWN_ORG', `no tenant for org ${orgId}`);
      tenantId = tenant.tenantId;
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      // Legacy senders spell it with a hyphen (X-Haravan-Hmac-Sha256).
      const signature = req.get('x-haravan-hmacsha256') || req.get('x-haravan-hmac-sha256');
      // After a rotation, deliveries Haravan signed with the replaced secret still arrive for a while.
      const secrets = [tenant.webhookSecret, ...tenant.previousWebhookSecrets];
      if (!secrets.some((secret) => verifySignature(body, secret, signature))) {
        // Counted per tenant too, but a secret rotated on one side only refuses every delivery: said in the log.
        if (signatureRefusalWorthLogging(tenant.tenantId))
          deps.log.warn(
            { tenantId: tenant.tenantId, topic },
            "webhook refused: its signature matches none of the tenant's webhook secrets (at most one line a minute per tenant)",
          );
        return reject(
          401,
          'ERR_WEBHOOK_BAD_SIGNATURE',
          signature ? 'X-Haravan-Hmacsha256 does not match the body' : 'X-Haravan-Hmacsha256 is missing',
        );
      }
      if (!req.is('application/json'))
        return reject(415, 'ERR_WEBHOOK_NOT_JSON', 'Content-Type must be application/json');
      let payload: unknown;
      try {
        payload = parseJsonBody(body);
      } catch {
        return reject(400, 'ERR_WEBHOOK_BAD_JSON', 'body is not valid JSON');
      }
      // Haravan's "send test notification" carries sample data: kept, answered, never decided.
      const test = isTestDelivery(req.get(TEST_HEADER));
      const kind = test ? null : classifyTopic(topic);
      const uninstalled = !test && isUninstallTopic(topic);
      // What the decider could not read is refused here, where Haravan hears of it (and polling still brings the resource).
      const shape = kind && topicShape(kind, payload);
      if (shape && !shape.ok)
        return reject(
          400,
          'ERR_WEBHOOK_BAD_SHAPE',
          `not the shape of a ${topic} body: ${shape.error.message}`,
        );
      const receivedAt = new Date();
      try {
        const append = deps.rawLog.append([
          {
            key: kind
              ? `${tenant.tenantId}:${kind.resource}:${resourceIdOf(payload)}`
              : `${tenant.tenantId}:${test ? 'test' : uninstalled ? 'app' : 'unknown'}:${topic}`,
            body,
            tenantId: tenant.tenantId,
            haravanTopic: topic,
            orgId,
            source: test ? 'webhook-test' : 'webhook',
            receivedAt: receivedAt.toISOString(),
          },
        ]);
        // Given up on, the append goes on: a later failure of it is nobody's to hear.
        const stored = await within(
          append.then(() => true),
          deps.appendTimeoutMs,
        );
        if (!stored)
          throw new AppError(
            'ERR_INGEST_KAFKA_SLOW',
            `Kafka did not take the delivery within ${deps.appendTimeoutMs} ms`,
            true,
          );
      } catch (error) {
        deps.log.warn({ err: error, tenantId: tenant.tenantId, topic }, 'webhook not stored');
        if (isRetriable(error))
          return reject(503, 'ERR_WEBHOOK_UNAVAILABLE', 'cannot store the delivery right now; retry');
        throw error;
      }
      // Kept first, so it is never lost; if it cannot be recorded, Haravan's retry records it.
      if (uninstalled) {
        try {
          await deps.onUninstalled(tenant.tenantId, receivedAt);
        } catch (error) {
          deps.log.warn({ err: error, tenantId: tenant.tenantId }, 'uninstall not recorded');
          return reject(503, 'ERR_WEBHOOK_UNAVAILABLE', 'cannot record the uninstall right now; retry');
        }
      }
      deps.metrics.webhook(
        kind || uninstalled ? 'accepted' : test ? 'accepted_test' : 'accepted_unknown_topic',
        tenantId,
      );
      if (kind || uninstalled) return res.status(200).json({ ok: true } satisfies WebhookAccepted);
      // Haravan counts anything but 200 as failed and sends it again: the admin's test would fail.
      if (test)
        return res
          .status(200)
          .json({ ok: true, note: 'test delivery kept in the raw log only' } satisfies WebhookKeptRaw);
      return res
        .status(202)
        .json({ ok: true, note: 'topic kept in the raw log only' } satisfies WebhookKeptRaw);
    },
  );
  return router;
}

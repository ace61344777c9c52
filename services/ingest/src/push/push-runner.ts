import { randomUUID } from 'node:crypto';
import {
  customerUpdateRequest,
  noteWithFacebook,
  updatedCustomerId,
  type CommandStore,
  type HaravanRequest,
  type PushCommandDoc,
} from '@cdp/commands';
import { AppError, err, type Result } from '@cdp/contracts';
import type { Logger } from '@cdp/logging';
import { resourceIdOf } from '../haravan/resource-id';
import { backoffCeilingMs } from '../polling/backoff';
import { HARAVAN_ERRORS, type HaravanClient } from '../polling/haravan-client';
import type { HaravanClock } from '../polling/haravan-clock';
import type { ShopIdentity } from '../polling/shop-identity';
import { sleep } from '../polling/sleep';
import type { Tenant } from '../tenants/tenant-store';
import type { RawLog } from '../webhook/raw-log';
import { isRecord } from '../haravan/unwrap';
import { madeByCreate } from './made-by-create';
import type { PushOutcomeLookup, PushRetry } from './push-schedule';

export interface PushRunnerDeps {
  tenant: Tenant;
  client: HaravanClient;
  identity: ShopIdentity;
  commands: CommandStore;
  rawLog: RawLog;
  log: Logger;
  now: () => number;
  signal: AbortSignal;
  /** How often the shop's waiting commands are looked for. */
  intervalMs: number;
  /** How long finished commands stay readable (`GET /v1/commands/{id}`) before they are dropped. */
  retentionMs: number;
  retry: PushRetry;
  outcomeLookup: PushOutcomeLookup;
  /** The shop's clock: what a lost create made is looked for in Haravan's time. */
  clock: Pick<HaravanClock, 'aheadMs'>;
  /** Whether Haravan refuses the shop's credentials now, as the shop's answers tell (polls' included). */
  credentialsRefused: () => boolean;
  /** False when a look for every shop's commands found none of this shop's (push-work.ts). */
  mayHaveWork: () => boolean;
}

export interface PushRunner {
  /** Sends the shop's commands until the signal aborts; never rejects. */
  run(): Promise<void>;
}

/** Commands sent per round. */
const BATCH = 10;
/** Waiting commands read per round: some may wait for a retry, and hold back their contact's later ones. */
const WAITING_READ = 100;
/** How far before a command's call (or after its end) what it created may be stamped (clocks differ). */
const CLOCK_SKEW_MS = 300_000;
/**
 * How long a create's call usually lasts at most, its waits for the bucket and the client's tries
 * after 429s included: what it made is looked for in that span first.
 */
const CALL_SPAN_MS = 600_000;
/**
 * Pages of customers or orders read to find what a lost create made: 1,000, which only a shop
 * making dozens a minute passes within the call's span (orders are read oldest first; customers
 * in Haravan's own order, newest first).
 */
const LOOKUP_PAGES = 20;
const CLEANUP_EVERY_MS = 3_600_000;
/** A create accepted before commands kept their edits, for a contact another push linked meanwhile. */
const ALREADY_LINKED = 'ERR_PUSH_CONTACT_LINKED';

/**
 * Sends one shop's push commands (R22, R23) through the shop's client, so pushes and polls share
 * one bucket. A created resource is kept in the raw log (source `cdp`) under the same key as
 * Haravan's echo of it, so the two are one change (R24); a customer made from a CDP contact is
 * linked to that contact.
 */
export function createPushRunner(deps: PushRunnerDeps): PushRunner {
  const { tenant, client, commands, signal } = deps;
  /** Claims commands: only the sender that claimed a command may call Haravan for it. */
  const sender = randomUUID();
  const log = deps.log.child({ tenantId: tenant.tenantId, part: 'push' });

  const fail = async (doc: PushCommandDoc, code: string, message: string) => {
    log.warn({ commandId: doc.commandId, code }, 'push failed');
    await commands.failed(doc, { code, message });
  };

  /**
   * After a create whose answer was lost: what Haravan lists, among the customers or orders
   * created since the command, that the create made (`madeByCreate`); null when it lists none,
   * `unlisted` when it could not be asked.
   */
  async function createdMeanwhile(
    doc: PushCommandDoc,
    made: NonNullable<ReturnType<typeof madeByCreate>>,
  ): Promise<Record<string, unknown> | null | 'unlisted'> {
    // From the call's start (commands from before it was kept: their acceptance), in Haravan's
    // time: less how far this host runs ahead (the accepting host is taken to be alike).
    const calledAt = Date.parse(doc.callingAt ?? doc.createdAt);
    const haravanTime = (at: number) => new Date(at - deps.clock.aheadMs()).toISOString();
    const since = haravanTime(calledAt - CLOCK_SKEW_MS);
    // Customers come newest first: those the shop made since (however many while ingest was down)
    // would push the one looked for past the pages read, so the call's own span is read first.
    // A host clock behind Haravan's, or a call that outlasted its span (long Retry-After waits),
    // stamps it past that span: then everything since.
    if (doc.kind === 'customer' && doc.callingAt) {
      const within = await listedMade(doc, made, since, haravanTime(calledAt + CALL_SPAN_MS + CLOCK_SKEW_MS));
      if (within !== null) return within;
    }
    return listedMade(doc, made, since, undefined);
  }

  /** What the create made, among what Haravan lists as created from `since` (to `until`). */
  async function listedMade(
    doc: PushCommandDoc,
    made: NonNullable<ReturnType<typeof madeByCreate>>,
    since: string,
    until: string | undefined,
  ): Promise<Record<string, unknown> | null | 'unlisted'> {
    const resource = doc.kind === 'order' ? 'orders' : 'customers';
    for (let page = 1; page <= LOOKUP_PAGES; page++) {
      const query = {
        created_at_min: since,
        ...(until !== undefined && { created_at_max: until }),
        limit: 50,
        page,
        // Oldest first (documented for orders only), so the shop's later orders come after it.
        ...(doc.kind === 'order' && { status: 'any', order: 'created_at asc' }),
      };
      const listed = await client.list(resource, query);
      if (!listed.ok) return 'unlisted';
      const found = listed.value.find(made);
      if (found) return found;
      if (listed.value.length < 50) return null;
    }
    return null;
  }

  /**
   * A create whose fate is unknown: settled once Haravan lists what it made. Until then it stays
   * `sending` and is looked for again, for `outcomeLookup.windowMs` (Haravan may list it late);
   * after that, a look that finds nothing fails it. One nothing identifies fails at once. A sender
   * stopped meanwhile (shutdown, lease lost, new credentials) could not look: the shop's next
   * sender looks when it starts (`recover`).
   */
  async function unknownOutcome(doc: PushCommandDoc, message: string): Promise<void> {
    const made = madeByCreate(doc);
    if (!made) return void (await fail(doc, HARAVAN_ERRORS.outcomeUnknown, message));
    const found = await createdMeanwhile(doc, made);
    if (signal.aborted) return;
    if (found !== null && found !== 'unlisted') return settle(doc, found);
    const now = deps.now();
    const unknownSince = doc.unknownSince ?? new Date(now).toISOString();
    const { windowMs, lookEveryMs } = deps.outcomeLookup;
    if (found === null && now - Date.parse(unknownSince) >= windowMs) {
      const minutes = Math.round(windowMs / 60_000);
      await fail(
        doc,
        HARAVAN_ERRORS.outcomeUnknown,
        `${message}; Haravan lists nothing it made ${minutes} min later`,
      );
      return;
    }
    await commands.awaitOutcome(doc, { unknownSince, notBefore: new Date(now + lookEveryMs).toISOString() });
  }

  /**
   * A sender that stopped mid-call: a PUT (or a create sent as one) may simply be sent again, a
   * POST may have created it.
   */
  async function recover(): Promise<void> {
    for (const doc of await commands.interrupted(tenant.tenantId)) {
      const plan = await planOf(doc);
      if ('linked' in plan) await settleLinked(doc, plan.linked);
      else if ('refused' in plan) await fail(doc, ALREADY_LINKED, plan.refused);
      // A PUT may be sent again; so may a create its sender never started the call of.
      else if (plan.request.method === 'PUT') await commands.release(doc);
      // Unless another sender, still at work (a lease's overlap), has started the call meanwhile.
      else if (doc.callingAt === null) await commands.releaseUncalled(doc);
      else
        await unknownOutcome(
          doc,
          'the sender stopped during the call; Haravan may have created it, so it is not sent again',
        );
    }
  }

  /** Haravan made or changed `resource`: link it, keep it in the raw log, record the success. */
  async function settle(doc: PushCommandDoc, resource: unknown, request = doc.request): Promise<void> {
    const { method, path, topic } = request;
    const haravanId = resourceIdOf(resource);
    if (haravanId === null) {
      await fail(doc, HARAVAN_ERRORS.outcomeUnknown, `${method} ${path}: the answer names no ${doc.kind} id`);
      return;
    }
    if (doc.kind === 'customer' && method === 'POST') await commands.link(doc, haravanId);
    await deps.rawLog
      .append([
        {
          key: `${tenant.tenantId}:${doc.kind}:${haravanId}`,
          body: Buffer.from(JSON.stringify(resource)),
          tenantId: tenant.tenantId,
          haravanTopic: topic,
          orgId: tenant.haravanOrgId,
          source: 'cdp',
          receivedAt: new Date(deps.now()).toISOString(),
          commandId: doc.commandId,
        },
      ])
      // Haravan's webhook or the next poll brings the same resource; the push itself succeeded.
      .catch((error: unknown) =>
        log.warn({ err: error, haravanId }, 'pushed resource not kept in the raw log'),
      );
    await commands.succeeded(doc, haravanId);
  }

  /**
   * What the command sends. A customer create for a contact an earlier push linked meanwhile
   * updates that customer instead (a second create would make a second Haravan customer, or be
   * refused as one) with its own edits only: the rest of its body is the profile as it was, which
   * would undo the earlier push's. `linked`: nothing is left to send to that customer (no edits, or
   * the create that linked it is this one, stopped after linking).
   */
  async function planOf(
    doc: PushCommandDoc,
  ): Promise<{ request: HaravanRequest } | { linked: string } | { refused: string }> {
    if (doc.kind !== 'customer' || doc.request.method !== 'POST') return { request: doc.request };
    const link = await commands.linkOf(tenant.tenantId, doc.cdpId);
    if (!link) return { request: doc.request };
    if (link.commandId === doc.commandId) return { linked: link.haravanId };
    // Accepted before commands kept their edits apart: which fields are edits is not known.
    if (doc.linkedUpdate === undefined)
      return {
        refused: `an earlier push made the contact Haravan customer ${link.haravanId}; push it again`,
      };
    if (Object.keys(doc.linkedUpdate).length === 0 && doc.facebookUrl === undefined)
      return { linked: link.haravanId };
    return { request: customerUpdateRequest(link.haravanId, doc.linkedUpdate) };
  }

  /**
   * A command with nothing to send to its linked customer: settled with the customer as Haravan
   * lists it, kept in the raw log like any push's answer, so its position is recorded too.
   */
  async function settleLinked(doc: PushCommandDoc, haravanId: string): Promise<void> {
    const listed = await client.list('customers', { ids: haravanId });
    const found = listed.ok ? listed.value.find((c) => resourceIdOf(c) === haravanId) : undefined;
    if (!found) {
      await commands.succeeded(doc, haravanId);
      return;
    }
    await settle(doc, found, customerUpdateRequest(haravanId, {}));
  }

  /**
   * Sends the request. An update's Facebook link is set in the note Haravan has now, read just
   * before: the merchant's note as it is when sent is kept, and a retry sets the same line again.
   * (An edit of the note between the read and the write is lost: Haravan has no conditional write.)
   */
  async function written(doc: PushCommandDoc, request: HaravanRequest): Promise<Result<unknown>> {
    const haravanId = updatedCustomerId(request);
    if (doc.facebookUrl === undefined || haravanId === null)
      return client.write(request.method, request.path, request.body);
    const current = await client.get('customers', haravanId, 'push');
    if (!current.ok) return current;
    if (current.value === null)
      return err(new AppError(HARAVAN_ERRORS.notFound, `GET customers/${haravanId}.json: 404`, false));
    const note = typeof current.value['note'] === 'string' ? current.value['note'] : null;
    const fields = isRecord(request.body['customer']) ? request.body['customer'] : {};
    return client.write('PUT', request.path, {
      customer: { ...fields, note: noteWithFacebook(note, doc.facebookUrl) },
    });
  }

  /** Whether a command given back, or a create waiting to be looked for, is due now. */
  const due = (doc: PushCommandDoc) => doc.notBefore === undefined || Date.parse(doc.notBefore) <= deps.now();

  /**
   * Sends one command; true when its contact's later pushes wait for the next round: it was given
   * back to be sent later, or what its create made is not known yet.
   */
  async function send(waiting: PushCommandDoc): Promise<boolean> {
    if (!(await commands.claim(waiting, sender))) return false;
    const plan = await planOf(waiting);
    if ('linked' in plan) await settleLinked(waiting, plan.linked);
    else if ('refused' in plan) await fail(waiting, ALREADY_LINKED, plan.refused);
    else {
      const { request } = plan;
      const callingAt = await commands.calling(waiting, sender);
      if (callingAt === null) return false;
      const doc: PushCommandDoc = { ...waiting, status: 'sending', callingAt, claimedBy: sender };
      const answer = await written(doc, request);
      if (answer.ok) await settle(doc, isRecord(answer.value) ? answer.value[doc.kind] : undefined, request);
      // A sender stopped mid-call leaves the command to the next, without using a try.
      else if (answer.error.code === HARAVAN_ERRORS.aborted) {
        await commands.release(doc);
        return true;
      }
      // Retriable answers are those Haravan surely did not act on (or a PUT): try again later,
      // a bounded number of times. So is a 401 (token revoked, the uninstall not heard of yet):
      // nothing more is sent while Haravan refuses the credentials, but a write refused while its
      // reads are taken would otherwise be sent again for ever.
      else if (answer.error.retriable || answer.error.code === HARAVAN_ERRORS.unauthorized) {
        const attempts = (doc.attempts ?? 0) + 1;
        if (attempts >= deps.retry.attempts) {
          await fail(doc, answer.error.code, `${answer.error.message} (sent ${attempts} times)`);
          return false;
        }
        const notBefore = new Date(deps.now() + backoffCeilingMs(attempts, deps.retry));
        await commands.release(doc, { attempts, notBefore: notBefore.toISOString() });
        return true;
      } else if (answer.error.code === HARAVAN_ERRORS.outcomeUnknown) {
        await unknownOutcome(doc, answer.error.message);
        return true;
      } else await fail(doc, answer.error.code, answer.error.message);
    }
    return false;
  }

  return {
    async run() {
      // At start, and after the store failed mid-send, commands may be left `sending`.
      let recovered = false;
      let cleanedAt = -Infinity;
      while (!signal.aborted) {
        let busy = false;
        try {
          // Nothing is sent while Haravan refuses the token (until an answer to a poll or new
          // credentials take it again), nor while it may open another shop than the tenant's:
          // pushes would change that shop. Commands wait; none is failed.
          if (deps.credentialsRefused() || !(await deps.identity.confirm()).ok) {
            await sleep(deps.intervalMs, signal);
            continue;
          }
          if (!recovered) {
            await recover();
            recovered = true;
          }
          // Finished commands would otherwise pile up in what every look for waiting ones reads.
          if (deps.now() - cleanedAt >= CLEANUP_EVERY_MS) {
            await commands.forgetFinished(tenant.tenantId, new Date(deps.now() - deps.retentionMs));
            cleanedAt = deps.now();
          }
          if (!deps.mayHaveWork()) {
            await sleep(deps.intervalMs, signal);
            continue;
          }
          // A contact's later pushes wait while an earlier one is given back, so edits land in order,
          // and while what its create made is unknown: sent now, they could make a second customer.
          const heldBack = new Set<string>();
          for (const doc of await commands.outcomesUnknown(tenant.tenantId)) {
            if (signal.aborted) break;
            heldBack.add(doc.cdpId);
            if (due(doc)) await unknownOutcome(doc, "Haravan's answer to the create was lost");
          }
          const waiting = await commands.waiting(tenant.tenantId, WAITING_READ);
          let sent = 0;
          for (const doc of waiting) {
            if (signal.aborted || deps.credentialsRefused() || sent === BATCH) break;
            if (heldBack.has(doc.cdpId)) continue;
            if (!due(doc)) {
              heldBack.add(doc.cdpId);
              continue;
            }
            sent += 1;
            if (await send(doc)) heldBack.add(doc.cdpId);
          }
          busy = sent === BATCH;
        } catch (error) {
          recovered = false;
          log.warn({ err: error }, 'push commands not reachable; trying again');
        }
        if (!busy) await sleep(deps.intervalMs, signal);
      }
    },
  };
}

import { createHash, randomUUID } from 'node:crypto';
import type { Collection, Db, Filter } from 'mongodb';
import { isDuplicateKey } from '@cdp/mongo';
import {
  commandDocId,
  linkDocId,
  type CustomerLinkDoc,
  type HaravanRequest,
  type PushCommandDoc,
  type PushKind,
} from './push-command';

export const COMMANDS_COLLECTION = 'push_commands';

/** A tenant's commands by status; `sending` counts as pending. */
export interface CommandCounts {
  pending: number;
  succeeded: number;
  failed: number;
  /** When the oldest pending command was accepted: how long the backlog has waited; null with none. */
  oldestPendingAt: string | null;
}
/** A tenant with no commands, counted. */
export const noCommands = (): CommandCounts => ({
  pending: 0,
  succeeded: 0,
  failed: 0,
  oldestPendingAt: null,
});
export const LINKS_COLLECTION = 'customer_links';
export const POSITIONS_COLLECTION = 'push_command_positions';

/**
 * Where a push's change landed in the event log, as `topic/partition/offset` (the read API's
 * `X-Min-Position`). Kept apart from the command, whose one writer is the shop's scheduler: the
 * decider writes this one.
 */
interface CommandPositionDoc {
  _id: string;
  tenantId: string;
  position: string;
  recordedAt: string;
}

export interface AcceptInput {
  tenantId: string;
  kind: PushKind;
  /** The CDP record; omitted for an order, whose record is the command. */
  cdpId?: string;
  /** The request, or how to make it from the command's id (an order carries it: see `COMMAND_ID_ATTRIBUTE`). */
  request: HaravanRequest | ((commandId: string) => HaravanRequest);
  /** See `PushCommandDoc.linkedUpdate`. */
  linkedUpdate?: Record<string, unknown>;
  /** See `PushCommandDoc.facebookUrl`. */
  facebookUrl?: string;
  /** The client's `Idempotency-Key`: the same key gives the same command, never a second push. */
  idempotencyKey?: string;
  /** What the client asked, digested: a key given again with another request is told apart. */
  requestFingerprint?: string;
}

/**
 * Push commands and the links they leave. Each document has one writer at a time: the read API
 * inserts a command, then only the shop's single scheduler (ingest) moves it on, each step
 * guarded by the status it expects.
 */
export function createCommandStore(db: Db, now: () => Date = () => new Date()) {
  const commands: Collection<PushCommandDoc> = db.collection(COMMANDS_COLLECTION);
  const links: Collection<CustomerLinkDoc> = db.collection(LINKS_COLLECTION);
  const positions: Collection<CommandPositionDoc> = db.collection(POSITIONS_COLLECTION);

  const commandIdFor = (tenantId: string, key: string | undefined) =>
    key === undefined
      ? randomUUID()
      : createHash('sha256').update(`${tenantId}\n${key}`).digest('base64url').slice(0, 22);

  async function transition(
    doc: PushCommandDoc,
    from: PushCommandDoc['status'],
    set: Partial<PushCommandDoc>,
    also: Filter<PushCommandDoc> = {},
  ): Promise<boolean> {
    const result = await commands.updateOne(
      { ...also, _id: doc._id, status: from },
      { $set: { ...set, updatedAt: now().toISOString() } },
    );
    return result.modifiedCount === 1;
  }

  async function countsBy(match: Filter<PushCommandDoc>): Promise<Map<string, CommandCounts>> {
    const rows = await commands
      .aggregate<{ _id: { tenantId: string; status: PushCommandDoc['status'] }; n: number }>([
        { $match: match },
        { $group: { _id: { tenantId: '$tenantId', status: '$status' }, n: { $sum: 1 } } },
      ])
      .toArray();
    const counts = new Map<string, CommandCounts>();
    for (const { _id, n } of rows) {
      const tenant = counts.get(_id.tenantId) ?? noCommands();
      tenant[_id.status === 'sending' ? 'pending' : _id.status] += n;
      counts.set(_id.tenantId, tenant);
    }
    // FerretDB has no $min in $group: a read per tenant with a backlog, served by the index on MongoDB.
    await Promise.all(
      [...counts].map(async ([tenantId, tenant]) => {
        if (tenant.pending === 0) return;
        const [oldest] = await commands
          .find({ tenantId, status: { $in: ['pending', 'sending'] } })
          .sort({ createdAt: 1, _id: 1 })
          .limit(1)
          .project<{ createdAt: string }>({ createdAt: 1 })
          .toArray();
        tenant.oldestPendingAt = oldest?.createdAt ?? null;
      }),
    );
    return counts;
  }

  return {
    // Serves the counts and the senders' reads, and `waiting`'s oldest-first order without a sort
    // of every pending command (a backlog of pushes is read each round).
    async ensureIndexes() {
      await commands.createIndex({ tenantId: 1, status: 1, createdAt: 1, _id: 1 });
      // Its prefix was the index before it: kept, it would only cost every write.
      await commands.dropIndex('tenantId_1_status_1').catch(() => undefined);
      // Which tenants have work: on MongoDB an index walk, not a scan of every command kept (30 days' worth).
      await commands.createIndex({ status: 1, tenantId: 1 });
    },

    /** The new command, or the one an earlier call with the same idempotency key made. */
    async accept(input: AcceptInput): Promise<PushCommandDoc> {
      const commandId = commandIdFor(input.tenantId, input.idempotencyKey);
      const at = now().toISOString();
      const doc: PushCommandDoc = {
        _id: commandDocId(input.tenantId, commandId),
        tenantId: input.tenantId,
        commandId,
        kind: input.kind,
        cdpId: input.cdpId ?? commandId,
        request: typeof input.request === 'function' ? input.request(commandId) : input.request,
        ...(input.linkedUpdate === undefined ? {} : { linkedUpdate: input.linkedUpdate }),
        ...(input.facebookUrl === undefined ? {} : { facebookUrl: input.facebookUrl }),
        ...(input.requestFingerprint === undefined ? {} : { requestFingerprint: input.requestFingerprint }),
        status: 'pending',
        haravanId: null,
        error: null,
        createdAt: at,
        updatedAt: at,
      };
      try {
        await commands.insertOne(doc);
        return doc;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const existing = await commands.findOne({ _id: doc._id });
        if (!existing) throw error;
        return existing;
      }
    },

    /** The command an earlier call with this idempotency key made, if any. */
    byIdempotencyKey: (tenantId: string, key: string): Promise<PushCommandDoc | null> =>
      commands.findOne({ _id: commandDocId(tenantId, commandIdFor(tenantId, key)) }),

    /** The tenant's commands by status, for the sync status (`sending` counts as pending). */
    counts: async (tenantId: string): Promise<CommandCounts> =>
      (await countsBy({ tenantId })).get(tenantId) ?? noCommands(),

    /** Every tenant's commands by status, in one read (the ops console's, for all tenants at once). */
    countsByTenant: () => countsBy({}),

    get: (tenantId: string, commandId: string) =>
      commands.findOne({ _id: commandDocId(tenantId, commandId) }),

    /** The tenant's commands waiting to be sent, oldest first. */
    waiting: (tenantId: string, limit: number) =>
      commands.find({ tenantId, status: 'pending' }).sort({ createdAt: 1, _id: 1 }).limit(limit).toArray(),

    /**
     * Commands a previous sender left mid-call (it stopped or crashed), or left waiting to learn a
     * create's outcome: what became of them is not known here.
     */
    interrupted: (tenantId: string) => commands.find({ tenantId, status: 'sending' }).toArray(),

    /** The tenants with commands waiting to be sent or in flight, in one read for them all. */
    tenantsWithWork: (): Promise<string[]> =>
      commands.distinct('tenantId', { status: { $in: ['pending', 'sending'] } }),

    /** Creates whose outcome is unknown (`awaitOutcome`). */
    outcomesUnknown: (tenantId: string) =>
      commands.find({ tenantId, status: 'sending', unknownSince: { $exists: true } }).toArray(),

    /** A create whose outcome is unknown stays `sending`, to be looked for again from `notBefore`. */
    awaitOutcome: (doc: PushCommandDoc, wait: { unknownSince: string; notBefore: string }) =>
      transition(doc, 'sending', wait),

    /**
     * Claims a waiting command for `sender` to send; false if another sender or a retry got there
     * first.
     */
    claim: (doc: PushCommandDoc, sender: string) =>
      transition(doc, 'pending', { status: 'sending', callingAt: null, claimedBy: sender }),

    /**
     * Records that `sender`'s call to Haravan for the command it claimed starts now: the time, or
     * null if the command is no longer its own to call (two senders at once, a lease's overlap).
     */
    async calling(doc: PushCommandDoc, sender: string): Promise<string | null> {
      const at = now().toISOString();
      const mine = await transition(
        doc,
        'sending',
        { callingAt: at },
        { claimedBy: sender, callingAt: null },
      );
      return mine ? at : null;
    },

    /**
     * A command taken back from `sending` to be sent again (only when resending cannot duplicate),
     * after `retry.notBefore` when given.
     */
    release: (doc: PushCommandDoc, retry?: { attempts: number; notBefore: string }) =>
      transition(doc, 'sending', { status: 'pending', ...retry }),

    /**
     * A command a stopped sender left before its call, taken back to be sent again; false once a
     * call started after all (a sender still at work), which a resend could duplicate.
     */
    releaseUncalled: (doc: PushCommandDoc) =>
      transition(doc, 'sending', { status: 'pending' }, { callingAt: null }),

    succeeded: (doc: PushCommandDoc, haravanId: string) =>
      transition(doc, 'sending', { status: 'succeeded', haravanId, error: null }),

    failed: (doc: PushCommandDoc, error: { code: string; message: string }) =>
      transition(doc, 'sending', { status: 'failed', error }),

    /** Drops the tenant's finished commands last changed before `before`, and positions as old; their links stay. */
    async forgetFinished(tenantId: string, before: Date): Promise<number> {
      const result = await commands.deleteMany({
        tenantId,
        status: { $in: ['succeeded', 'failed'] },
        updatedAt: { $lt: before.toISOString() },
      });
      await positions.deleteMany({ tenantId, recordedAt: { $lt: before.toISOString() } });
      return result.deletedCount;
    },

    /** The decider saw the command's change into the event log at `position`; a later sighting replaces it. */
    async recordPosition(tenantId: string, commandId: string, position: string): Promise<void> {
      const doc: CommandPositionDoc = {
        _id: commandDocId(tenantId, commandId),
        tenantId,
        position,
        recordedAt: now().toISOString(),
      };
      await positions.replaceOne({ _id: doc._id }, doc, { upsert: true });
    },

    positionOf: async (tenantId: string, commandId: string): Promise<string | null> =>
      (await positions.findOne({ _id: commandDocId(tenantId, commandId) }))?.position ?? null,

    /** Records that the CDP contact `cdpId` is now Haravan's customer `haravanId`. Idempotent. */
    async link(doc: PushCommandDoc, haravanId: string): Promise<void> {
      const link: CustomerLinkDoc = {
        _id: linkDocId(doc.tenantId, doc.cdpId),
        tenantId: doc.tenantId,
        cdpId: doc.cdpId,
        haravanId,
        commandId: doc.commandId,
      };
      await links.replaceOne({ _id: link._id }, link, { upsert: true });
    },

    linkOf: (tenantId: string, cdpId: string) => links.findOne({ _id: linkDocId(tenantId, cdpId) }),

    /** Which of these CDP ids are linked, in one `_id` lookup. */
    async linked(tenantId: string, cdpIds: readonly string[]): Promise<Map<string, string>> {
      if (cdpIds.length === 0) return new Map();
      const found = await links.find({ _id: { $in: cdpIds.map((id) => linkDocId(tenantId, id)) } }).toArray();
      return new Map(found.map((l) => [l.cdpId, l.haravanId]));
    },
  };
}

export type CommandStore = ReturnType<typeof createCommandStore>;

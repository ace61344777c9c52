import type { Collection } from 'mongodb';
import { z } from 'zod';
import type { AcceptInput, CommandStore, PushCommandDoc } from '@cdp/commands';
import { customerDocId, type CustomerDoc } from '@cdp/read-models';
import { customerPushRequest, editedFields } from './haravan-push-request';
import { HttpError, notFound } from './http-error';
import { orderInputSchema, orderPushRequest } from './order-push-request';
import { MIN_POSITION_HEADER } from './projection-lag';
import { IDEMPOTENCY_HEADER, getRoute, postRoute, type Idempotency, type Route } from './route';
import { phoneParam } from './phone-param';

const timestamp = z.iso.datetime({ offset: true });

export const commandViewSchema = z.strictObject({
  commandId: z.string(),
  kind: z.enum(['customer', 'order']),
  customerId: z.string().nullable().describe('the CDP customer pushed; null for an order'),
  status: z.enum(['pending', 'succeeded', 'failed']),
  haravanId: z.string().nullable().describe("Haravan's id of the customer or order, once pushed"),
  error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  position: z
    .string()
    .nullable()
    .describe(
      `where the push's change is in the event log: send it as ${MIN_POSITION_HEADER} to read what the push changed. Null until the change is in the log, shortly after success`,
    ),
  createdAt: timestamp,
  updatedAt: timestamp,
});

const customerEdits = z.strictObject({
  name: z.string().trim().min(1).max(255).optional(),
  email: z.email().optional(),
  phone: phoneParam.optional(),
  facebookUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .optional()
    .describe(
      `kept in the Haravan customer's note as a line "Facebook: <url>" (Haravan has no field for it), set in the note Haravan has when the push is sent: the rest of the note is kept`,
    ),
});

const conflict = (code: string, message: string) => new HttpError(409, code, message);

/** R22–R24: CDP records pushed to Haravan as commands that the shop's scheduler sends. */
export function pushRoutes(customers: Collection<CustomerDoc>, commands: CommandStore): Route[] {
  const commandView = async (doc: PushCommandDoc): Promise<z.output<typeof commandViewSchema>> => ({
    commandId: doc.commandId,
    kind: doc.kind,
    customerId: doc.kind === 'customer' ? doc.cdpId : null,
    status: doc.status === 'sending' ? 'pending' : doc.status,
    haravanId: doc.haravanId,
    error: doc.error,
    position: doc.status === 'succeeded' ? await commands.positionOf(doc.tenantId, doc.commandId) : null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  });

  /**
   * The command a retry's `Idempotency-Key` made before: given back whatever changed since (the
   * shop uninstalled, the customer is in Haravan now), unless the key came with another request.
   */
  const sameRequest = (command: PushCommandDoc, idempotency: Idempotency) => {
    const { requestFingerprint } = command;
    if (requestFingerprint !== undefined && requestFingerprint !== idempotency.fingerprint)
      throw new HttpError(
        422,
        'ERR_IDEMPOTENCY_KEY_REUSED',
        `${IDEMPOTENCY_HEADER} was given before with a different request: a new request needs a new key`,
      );
    return command;
  };
  const earlierCommand = async (tenantId: string, idempotency: Idempotency | undefined) => {
    const earlier = idempotency && (await commands.byIdempotencyKey(tenantId, idempotency.key));
    return earlier ? sameRequest(earlier, idempotency) : null;
  };
  /** Accepts the command; one made meanwhile with the same key (a concurrent retry) is checked the same way. */
  const accept = async (input: AcceptInput, idempotency: Idempotency | undefined) => {
    if (!idempotency) return commands.accept(input);
    const { key, fingerprint } = idempotency;
    const command = await commands.accept({ ...input, idempotencyKey: key, requestFingerprint: fingerprint });
    return sameRequest(command, idempotency);
  };

  /** The profile and the Haravan id a push addresses: its own, or the one an earlier push linked. */
  const pushable = async (tenantId: string, customerId: string) => {
    const profile = await customers.findOne({ _id: customerDocId(tenantId, customerId) });
    if (!profile) throw notFound('customer');
    if (profile.deleted) throw conflict('ERR_CUSTOMER_DELETED', 'a deleted customer cannot be pushed');
    const haravanId = profile.haravanId ?? (await commands.linkOf(tenantId, customerId))?.haravanId ?? null;
    return { profile, haravanId };
  };

  return [
    postRoute(
      {
        path: '/v1/customers/:customerId/push-to-haravan',
        summary: 'Push a customer to Haravan (R22)',
        description:
          "Creates the customer in Haravan, or updates the one it is (or was linked to by an earlier push) with the body's fields only (none: 400). Haravan's id is linked to the CDP contact, so Haravan's echo of the push is the same customer (R24).",
        params: z.object({ customerId: z.string().min(1) }),
        body: customerEdits.optional().default({}),
        response: commandViewSchema,
      },
      async ({ tenantId, pushBlocked, params, body, idempotency }) => {
        const earlier = await earlierCommand(tenantId, idempotency);
        if (earlier) return commandView(earlier);
        if (pushBlocked) throw conflict(pushBlocked.code, pushBlocked.message);
        const { profile, haravanId } = await pushable(tenantId, params.customerId);
        if (haravanId !== null && Object.values(body).every((v) => v === undefined))
          throw new HttpError(
            400,
            'ERR_NOTHING_TO_PUSH',
            'the customer is in Haravan already: give the name, email, phone or facebookUrl to change',
          );
        const command = await accept(
          {
            tenantId,
            kind: 'customer',
            cdpId: params.customerId,
            request: customerPushRequest(profile, haravanId, body),
            // Sent instead should an earlier push link the contact before this one is sent.
            ...(haravanId === null && { linkedUpdate: editedFields(body) }),
            ...(body.facebookUrl !== undefined && { facebookUrl: body.facebookUrl }),
          },
          idempotency,
        );
        return commandView(command);
      },
    ),
    postRoute(
      {
        path: '/v1/orders',
        summary: 'Create an order in Haravan (R23)',
        description:
          "The order exists once, as Haravan has it: it reaches the read models through Haravan, and the command gives its Haravan id (R24). It carries the note attribute `cdp_command_id` (the command's id), by which a create whose answer was lost is found.",
        params: z.object({}),
        body: orderInputSchema,
        response: commandViewSchema,
      },
      async ({ tenantId, pushBlocked, body, idempotency }) => {
        const earlier = await earlierCommand(tenantId, idempotency);
        if (earlier) return commandView(earlier);
        if (pushBlocked) throw conflict(pushBlocked.code, pushBlocked.message);
        let buyer: string | null = null;
        if (body.customerId !== undefined) {
          buyer = (await pushable(tenantId, body.customerId)).haravanId;
          if (buyer === null)
            throw conflict(
              'ERR_CUSTOMER_NOT_IN_HARAVAN',
              'the buyer is not a Haravan customer: push the customer first',
            );
        }
        const command = await accept(
          { tenantId, kind: 'order', request: (commandId) => orderPushRequest(body, buyer, commandId) },
          idempotency,
        );
        return commandView(command);
      },
    ),
    getRoute(
      {
        path: '/v1/commands/:commandId',
        readsFrom: [],
        summary: 'A push command: pending, succeeded (with the Haravan id) or failed (with the error)',
        params: z.object({ commandId: z.string().min(1) }),
        query: z.object({}),
        response: commandViewSchema,
      },
      async ({ tenantId, params }) => {
        const command = await commands.get(tenantId, params.commandId);
        if (!command) throw notFound('command');
        return commandView(command);
      },
    ),
  ];
}

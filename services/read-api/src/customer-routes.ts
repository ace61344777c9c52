import type { Collection, Filter } from 'mongodb';
import { z } from 'zod';
import type { CommandStore } from '@cdp/commands';
import type { IdReader } from '@cdp/mongo';
import { customerDocId, receiverIdOf, type CustomerDoc, type OrderDoc } from '@cdp/read-models';
import { customerView, customerViewSchema, PROFILE_PROJECTION, type ProfileFields } from './customer-view';
import { notFound } from './http-error';
import { orderPage, orderCursorParam } from './order-pages';
import { orderViewSchema } from './order-view';
import { cursorParam, limitParam, pageOf, pageSchema } from './pagination';
import { searchTextParam, textSearchFilter } from './prefix-match';
import { tenantIdsAfter } from './tenant-ids';
import { getRoute, type Route } from './route';
import { phoneParam } from './phone-param';
import { exactLookup } from './query-params';

const RECEIVER_PREFIX = 'receiver:';

/** Receivers' ids encode their key (R12); the key selects the orders shipped to them. */
function receiverKeyOf(customerId: string): string | null {
  if (!customerId.startsWith(RECEIVER_PREFIX)) return null;
  const key = Buffer.from(customerId.slice(RECEIVER_PREFIX.length), 'base64url').toString('utf8');
  return receiverIdOf(key) === customerId ? key : null;
}

const customerParams = z.object({ customerId: z.string().min(1) });

const searchQuery = z.object({
  haravanId: exactLookup(z.string().min(1).optional()),
  phone: exactLookup(phoneParam.optional().describe('any of 0912…, +84912…, 84912…: matched in E.164')),
  email: exactLookup(z.string().min(1).optional().describe('case-insensitive')),
  q: searchTextParam
    .optional()
    .describe(
      'case-insensitive prefix of the name; typed without diacritics (nguyen van), it matches names whatever theirs',
    ),
  limit: limitParam,
  cursor: cursorParam(z.tuple([z.string()])),
});

/** The most documents one read of a customer search takes. */
const SEARCH_READ_MAX = 1_000;

export function customerRoutes(
  customers: Collection<CustomerDoc>,
  orders: Collection<OrderDoc>,
  links: Pick<CommandStore, 'linkOf' | 'linked'>,
  byId: IdReader,
): Route[] {
  const profileOf = (tenantId: string, customerId: string) =>
    byId<ProfileFields>(customers, customerDocId(tenantId, customerId), PROFILE_PROJECTION);
  const profile = async (tenantId: string, customerId: string) => {
    // Another tenant's id is simply absent from this tenant's key space: 404, never 403.
    const doc = await profileOf(tenantId, customerId);
    if (!doc) throw notFound('customer');
    if (doc.haravanId !== null) return doc;
    // A contact pushed to Haravan (R24) is the Haravan customer it became, once that is projected.
    const link = await links.linkOf(tenantId, customerId);
    const linked = link && (await profileOf(tenantId, link.haravanId));
    return linked ?? doc;
  };

  return [
    getRoute(
      {
        path: '/v1/customers/:customerId',
        readsFrom: ['customers', 'orders'],
        summary: 'A customer profile (buyer or receiver)',
        description: 'A receiver pushed to Haravan answers with the Haravan customer it became (R24).',
        params: customerParams,
        query: z.object({}),
        response: customerViewSchema,
      },
      async ({ tenantId, revenuePolicy, params }) =>
        customerView(await profile(tenantId, params.customerId), revenuePolicy),
    ),
    getRoute(
      {
        path: '/v1/customers/:customerId/orders',
        readsFrom: ['customers', 'orders'],
        summary: "A customer's order history, newest first (R15)",
        description:
          "A buyer's orders; for a receiver, the orders shipped to them (they count on the buyer), pushed to Haravan or not: the customer it became has its own orders under its id. Deleted orders are gone.",
        params: customerParams,
        query: z.object({ limit: limitParam, cursor: orderCursorParam }),
        response: pageSchema(orderViewSchema),
      },
      async ({ tenantId, revenuePolicy, params, query }) => {
        // The id asked for, not the customer a pushed receiver became: its orders are what made
        // it a contact, and would otherwise be found under no id once that customer is projected.
        if (!(await profileOf(tenantId, params.customerId))) throw notFound('customer');
        const receiverKey = receiverKeyOf(params.customerId);
        const filter = receiverKey ? { receiverKey } : { buyerId: params.customerId };
        return orderPage(orders, tenantId, filter, query, revenuePolicy);
      },
    ),
    getRoute(
      {
        path: '/v1/customers',
        readsFrom: ['customers', 'orders'],
        summary: 'Search customers',
        description:
          'All given filters must match. Deleted customers, and receivers pushed to Haravan (found as the customer they became), are left out. Ordered by customer id.',
        params: z.object({}),
        query: searchQuery,
        response: pageSchema(customerViewSchema),
      },
      async ({ tenantId, revenuePolicy, query }) => {
        const filter: Filter<CustomerDoc> = { tenantId, deleted: false };
        if (query.haravanId) filter.haravanId = query.haravanId;
        if (query.phone) filter.phone = query.phone;
        // No address holds a space: one within is a `+` (an+shop@…) left unencoded in the query string.
        if (query.email) filter.emailLower = query.email.trim().replace(/ /g, '+').toLowerCase();
        if (query.q)
          Object.assign(filter, textSearchFilter(query.q, { exact: 'nameLower', folded: 'nameFolded' }));
        // Receivers pushed to Haravan are left out after reading, so a page reads on until it is full.
        const shown: ProfileFields[] = [];
        let after = query.cursor?.[0];
        // Each further read takes twice as many, so a long run of them costs few reads.
        for (let more = true, round = 0; more && shown.length <= query.limit; round += 1) {
          const want = Math.min(SEARCH_READ_MAX, (query.limit + 1 - shown.length) * 2 ** round);
          filter._id = tenantIdsAfter(tenantId, after && customerDocId(tenantId, after));
          const docs = await customers
            .find<ProfileFields>(filter, { projection: PROFILE_PROJECTION })
            .sort({ _id: 1 })
            .limit(want)
            .toArray();
          more = docs.length === want;
          after = docs.at(-1)?.customerId ?? after;
          const contacts = docs.filter((d) => d.haravanId === null).map((d) => d.customerId);
          const pushed =
            contacts.length > 0 ? await links.linked(tenantId, contacts) : new Map<string, string>();
          shown.push(...docs.filter((d) => !pushed.has(d.customerId)));
        }
        return pageOf(
          shown,
          query.limit,
          (d) => [d.customerId],
          (d) => customerView(d, revenuePolicy),
        );
      },
    ),
  ];
}

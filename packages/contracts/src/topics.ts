/**
 * Topic names are part of the analysts' contract (schemas/README.md). A prefix lets tests
 * and several deployments share one cluster.
 */
export function topicNames(prefix = '') {
  return {
    /** Every accepted webhook delivery and polled record, as received: the audit trail. */
    raw: `${prefix}haravan.raw.v1`,
    /** The deciding state per aggregate (compacted); restored on start, written transactionally. */
    ingestState: `${prefix}haravan.ingest-state.v1`,
    orders: `${prefix}cdp.orders.v1`,
    customers: `${prefix}cdp.customers.v1`,
    products: `${prefix}cdp.products.v1`,
    deadLetter: `${prefix}cdp.dead-letter.v1`,
  } as const;
}
export type TopicNames = ReturnType<typeof topicNames>;

export const topics = topicNames();

/**
 * The Kafka key of an aggregate's domain events: one partition per aggregate keeps its events in
 * order, and the tenant prefix lets a reader skip other tenants' events undecoded.
 */
export const eventKey = (tenantId: string, aggregateId: string): string => `${tenantId}:${aggregateId}`;

/**
 * The consumer group of ingest's decider, which turns raw records into events: the read API reads
 * its committed offsets to count what ingest has accepted but not yet decided.
 */
export const deciderGroupId = (prefix = ''): string => `${prefix}cdp-ingest-decider`;

/**
 * The `_id`s of a tenant's documents (`<tenantId>:<id>`; tenant ids hold no ':') after `afterId`,
 * bounded on both sides: a walk of the `_id` index in its order then stays within the tenant's keys.
 */
export const tenantIdsAfter = (tenantId: string, afterId?: string) => ({
  $gt: afterId ?? `${tenantId}:`,
  $lt: `${tenantId};`,
});

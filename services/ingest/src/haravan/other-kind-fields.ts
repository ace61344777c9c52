import type { HaravanResource } from './topic-catalog';

/**
 * Top-level fields that Haravan's bodies of one resource kind carry and the others never do
 * (haravan-api.md §5). A customer sums up its orders (`orders_count`, `last_order_id`,
 * `last_order_name`) and an order embeds its customer, so neither is a defining field, and nested
 * objects are not looked into.
 */
const definingFields: Readonly<Record<HaravanResource, readonly string[]>> = {
  order: ['order_number', 'line_items', 'financial_status'],
  customer: ['orders_count', 'total_spent', 'default_address'],
  product: ['variants', 'handle', 'product_type'],
};

const articles: Readonly<Record<HaravanResource, string>> = {
  order: 'an order',
  customer: 'a customer',
  product: 'a product',
};

/**
 * Why a body of `resource` is another kind's (an order sent under customers/update), or null. A
 * null field tells no kind.
 */
export function otherKindOf(record: Record<string, unknown>, resource: HaravanResource): string | null {
  for (const [kind, fields] of Object.entries(definingFields) as [HaravanResource, readonly string[]][]) {
    if (kind === resource) continue;
    const found = fields.filter((field) => (record[field] ?? null) !== null);
    if (found.length > 0) return `carries ${articles[kind]}'s fields (${found.join(', ')})`;
  }
  return null;
}

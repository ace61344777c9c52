import type { ResourceRecord } from './resource-record.js';
import { parseTimestamp } from './timestamp.js';

export const MAX_LIMIT = 50;

export type OrderStatusFilter = 'open' | 'closed' | 'cancelled' | 'any';
type SortField = 'id' | 'created_at' | 'updated_at';

export interface ListQuery {
  limit: number;
  page: number;
  sinceId?: number;
  ids?: Set<number>;
  createdMin?: number;
  createdMax?: number;
  updatedMin?: number;
  updatedMax?: number;
  status: OrderStatusFilter;
  financialStatus?: string;
  sort: { field: SortField; direction: 'asc' | 'desc' };
  fields?: string[];
}

export type RawQuery = Record<string, unknown>;

function text(query: RawQuery, key: string): string | undefined {
  const value = query[key];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}

function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

function time(query: RawQuery, key: string): number | undefined {
  const value = text(query, key);
  return value === undefined ? undefined : parseTimestamp(value);
}

/**
 * Haravan ignores what it does not understand, so malformed values fall back to defaults too.
 * `order=` is documented for orders only, on `created_at` or `updated_at`, and products.json is
 * measured to answer newest id first: customers and products ignore it here (`sortable` false), as
 * orders do any other field.
 */
export function parseListQuery(query: RawQuery, sortable = true): ListQuery {
  const status = text(query, 'status');
  const orderMatch = sortable
    ? /^(created_at|updated_at)(?:\s+(asc|desc))?$/i.exec(text(query, 'order') ?? '')
    : null;
  const ids = text(query, 'ids')
    ?.split(',')
    .map((s) => positiveInt(s.trim()))
    .filter((n): n is number => n !== undefined);
  return {
    limit: Math.min(positiveInt(text(query, 'limit')) ?? MAX_LIMIT, MAX_LIMIT),
    page: positiveInt(text(query, 'page')) ?? 1,
    sinceId: positiveInt(text(query, 'since_id')),
    ids: ids && ids.length > 0 ? new Set(ids) : undefined,
    createdMin: time(query, 'created_at_min'),
    createdMax: time(query, 'created_at_max'),
    updatedMin: time(query, 'updated_at_min'),
    updatedMax: time(query, 'updated_at_max'),
    status:
      status === 'open' || status === 'closed' || status === 'cancelled' || status === 'any'
        ? status
        : 'open',
    financialStatus: text(query, 'financial_status'),
    sort: orderMatch
      ? {
          field: (orderMatch[1] ?? 'created_at').toLowerCase() as SortField,
          direction: (orderMatch[2] ?? 'asc').toLowerCase() as 'asc' | 'desc',
        }
      : // Measured on products.json: newest id first when no order is given.
        { field: 'id', direction: 'desc' },
    fields: text(query, 'fields')
      ?.split(',')
      .map((f) => f.trim())
      .filter((f) => f.length > 0),
  };
}

function matchesStatus(record: ResourceRecord, status: OrderStatusFilter): boolean {
  const state = record.orderState;
  if (!state || status === 'any') return true;
  switch (status) {
    case 'open':
      return !state.cancelled && !state.closed;
    case 'closed':
      return state.closed;
    case 'cancelled':
      return state.cancelled;
  }
}

function matchesFinancialStatus(record: ResourceRecord, wanted: string | undefined): boolean {
  if (!wanted || !record.orderState) return true;
  const actual =
    record.orderState.financialStatus === 'partiallypaid'
      ? 'partially_paid'
      : record.orderState.financialStatus;
  return wanted.split(',').some((w) => w.trim() === actual || w.trim() === 'any');
}

const within = (value: number, min: number | undefined, max: number | undefined) =>
  (min === undefined || value >= min) && (max === undefined || value <= max);

/** All matching records in answer order (both time bounds inclusive). */
export function selectRecords(records: readonly ResourceRecord[], q: ListQuery): ResourceRecord[] {
  const key = (r: ResourceRecord) =>
    q.sort.field === 'id' ? r.id : q.sort.field === 'created_at' ? r.createdAtMs : r.updatedAtMs;
  const sign = q.sort.direction === 'asc' ? 1 : -1;
  return records
    .filter(
      (r) =>
        (q.sinceId === undefined || r.id > q.sinceId) &&
        (q.ids === undefined || q.ids.has(r.id)) &&
        within(r.createdAtMs, q.createdMin, q.createdMax) &&
        within(r.updatedAtMs, q.updatedMin, q.updatedMax) &&
        matchesStatus(r, q.status) &&
        matchesFinancialStatus(r, q.financialStatus),
    )
    .sort((a, b) => sign * (key(a) - key(b) || a.id - b.id));
}

export function pageOf<T>(items: readonly T[], q: Pick<ListQuery, 'limit' | 'page'>): T[] {
  const start = (q.page - 1) * q.limit;
  return items.slice(start, start + q.limit);
}

export function pickFields(
  payload: Record<string, unknown>,
  fields: readonly string[] | undefined,
): Record<string, unknown> {
  if (!fields) return payload;
  return Object.fromEntries(fields.filter((f) => f in payload).map((f) => [f, payload[f]]));
}

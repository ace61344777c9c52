import type { ResourceKind } from './topics.js';

/** What the REST layer needs to filter, sort and page a resource without knowing its shape. */
export interface ResourceRecord {
  id: number;
  createdAtMs: number;
  updatedAtMs: number;
  /** Orders only: for `status=` and `financial_status=` filters. */
  orderState?: { cancelled: boolean; closed: boolean; financialStatus: string };
  payload(): Record<string, unknown>;
}

export interface ResourceSource {
  records(kind: ResourceKind): ResourceRecord[];
  record(kind: ResourceKind, id: number): ResourceRecord | undefined;
}

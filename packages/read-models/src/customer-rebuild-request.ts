/**
 * `customer_rebuilds`: `pnpm replay --customer` files a request, the projector holding the writer
 * lease runs it, and the ops console lists the latest.
 */
export const CUSTOMER_REBUILDS = 'customer_rebuilds';

export type CustomerRebuildState = 'pending' | 'running' | 'done' | 'failed';

export interface CustomerRebuildRequest {
  _id: string;
  tenantId: string;
  customerId: string;
  state: CustomerRebuildState;
  requestedAt: Date;
  /** Runs begun: a run that never finished (its process died) is begun again, a few times at most. */
  attempts: number;
  startedAt?: Date;
  finishedAt?: Date;
  applied?: number;
  error?: string;
  /** Failed runs that may pass (Kafka away), and when the next may begin. */
  retries?: number;
  retryAt?: Date;
}

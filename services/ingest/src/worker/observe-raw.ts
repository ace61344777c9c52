import { AppError, err, ok, type Result } from '@cdp/contracts';
import type { Observation } from '../deciding/observation';
import { normalizeCustomer } from '../haravan/normalize-customer';
import { normalizeOrder, orderEmbeddedCustomer } from '../haravan/normalize-order';
import { embeddedCustomerVersion } from '../haravan/order-buyer';
import { normalizeProduct } from '../haravan/normalize-product';
import { resourceIdOf } from '../haravan/resource-id';
import { classifyTopic } from '../haravan/topic-catalog';
import { isRecord, unwrap } from '../haravan/unwrap';
import type { RawRecord } from '../webhook/raw-record';
import { parseJsonBody } from '../haravan/json-body';

export interface Observed {
  /** null for a topic (or a test delivery) we keep but do not turn into domain events. */
  observation: Observation | null;
  /** The customer embedded in an order, re-published keyed by the customer so its own decider sees it. */
  embeddedCustomer: { id: string; body: Buffer } | null;
}

/**
 * Raw bytes and headers → what Haravan says the resource now is. Bad input is a value, never a
 * throw: reading is pure, so a throw would come back on every retry and stop the record's whole
 * raw partition; taken as unreadable, it is parked and the partition goes on.
 */
export function observeRaw(raw: RawRecord): Result<Observed> {
  try {
    return observe(raw);
  } catch (error) {
    return err(
      new AppError('ERR_INGEST_UNREADABLE', `raw record could not be read: ${String(error)}`, false, {
        cause: error,
      }),
    );
  }
}

function observe(raw: RawRecord): Result<Observed> {
  const kind = classifyTopic(raw.haravanTopic);
  // A test delivery's sample resource is kept for the audit trail, never taken as the shop's.
  if (!kind || raw.source === 'webhook-test') return ok({ observation: null, embeddedCustomer: null });
  let payload: unknown;
  try {
    payload = parseJsonBody(raw.body);
  } catch {
    return err(new AppError('ERR_INGEST_BAD_JSON', 'raw body is not JSON', false));
  }
  const id = resourceIdOf(payload);
  if (id === null) return err(new AppError('ERR_INGEST_NO_ID', 'payload has no numeric id', false));
  const deletedAt = raw.receivedAt;
  const none = { embeddedCustomer: null };
  // The shop's API answered it after a deletion: proof it exists (decide's revival).
  const shown = raw.source === 'sweep' ? { existsAt: raw.receivedAt } : {};

  switch (kind.resource) {
    case 'order': {
      if (kind.deletion)
        return ok({ observation: { kind: 'order-deleted', orderId: id, deletedAt }, ...none });
      const order = normalizeOrder(payload);
      if (!order.ok) return order;
      const customer = orderEmbeddedCustomer(payload);
      // Inside the wrapper when the body has REST's shape (`{"order": {...}}`), as the route accepts it.
      const orderBody = unwrap(payload, 'order');
      const customerPayload = isRecord(orderBody) ? orderBody['customer'] : undefined;
      return ok({
        observation: {
          kind: 'order',
          snapshot: order.value,
          buyerVersion: embeddedCustomerVersion(customerPayload),
          ...shown,
        },
        embeddedCustomer:
          customer?.ok === true
            ? { id: customer.value.customerId, body: Buffer.from(JSON.stringify(customerPayload)) }
            : null,
      });
    }
    case 'customer': {
      if (kind.deletion)
        return ok({ observation: { kind: 'customer-deleted', customerId: id, deletedAt }, ...none });
      const customer = normalizeCustomer(payload);
      return customer.ok
        ? ok({ observation: { kind: 'customer', snapshot: customer.value, ...shown }, ...none })
        : customer;
    }
    case 'product': {
      if (kind.deletion)
        return ok({ observation: { kind: 'product-deleted', productId: id, deletedAt }, ...none });
      const product = normalizeProduct(payload);
      return product.ok
        ? ok({ observation: { kind: 'product', snapshot: product.value, ...shown }, ...none })
        : product;
    }
  }
}

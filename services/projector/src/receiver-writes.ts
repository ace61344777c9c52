import type { AnyBulkWriteOperation, Collection, Filter } from 'mongodb';
import { normalizePhone, type OrderSnapshot } from '@cdp/contracts';
import {
  customerDocId,
  foldedText,
  receiverIdOf,
  searchableText,
  type CustomerDoc,
  type OrderDoc,
} from '@cdp/read-models';
import { bulk } from '@cdp/mongo';
import { ignoreNewer } from './bulk-writes';
import { emptyContact, type CustomerMemo } from './contact-documents';
import { recallFrom, type WrittenDocuments } from './written-documents';

type ReceiverShown = Pick<
  CustomerDoc,
  'name' | 'nameLower' | 'nameFolded' | 'phone' | 'addresses' | 'deleted'
> & {
  receiverSince: string;
};

interface Receiver {
  tenantId: string;
  customerId: string;
  shown: ReceiverShown;
}

type Write = { id: string; op: AnyBulkWriteOperation<CustomerDoc>; memo: CustomerMemo };

/** What a receiver is derived from of an order that names it. */
type Shipped = Pick<OrderSnapshot, 'createdAt' | 'orderId' | 'shippingAddress'>;

/**
 * Where an order stands among those that named a receiver: its creation time, then its id (padded
 * to sort as a number), so orders of one millisecond read in either order show the same one. A
 * receiver written before holds the creation time alone, which sorts before every key of its time.
 */
const receiverOrderKey = (order: Shipped) =>
  // The instant in one form, as order documents keep it: an offset would sort as text, not as time.
  `${new Date(order.createdAt).toISOString()}#${order.orderId.padStart(20, '0')}`;

/** What a receiver shows of the order that last named it; a receiver named again is no longer deleted. */
function shownBy(order: Shipped): ReceiverShown | null {
  const address = order.shippingAddress;
  if (!address) return null;
  return {
    name: address.name,
    nameLower: address.name === null ? null : searchableText(address.name),
    nameFolded: address.name === null ? null : foldedText(address.name),
    phone: normalizePhone(address.phone),
    addresses: [{ ...address, isDefault: true }],
    deleted: false,
    receiverSince: receiverOrderKey(order),
  };
}

/**
 * R12 receivers of a unit of work: each shows the shipping address of the newest order that named
 * it (guarded by `receiverOrderKey`, not the log position, so an older order applied later changes
 * nothing). Receivers whose stored state the writer remembers are written in bulk.
 */
export function createReceiverWrites(
  customers: Collection<CustomerDoc>,
  orders: Collection<OrderDoc>,
  written: WrittenDocuments<CustomerMemo> | undefined,
) {
  let receivers = new Map<string, Receiver>();

  const newDocument = (id: string, { tenantId, customerId, shown }: Receiver) => ({
    _id: id,
    ...emptyContact(tenantId, customerId, null, false),
    ...shown,
  });

  /**
   * Sets what the receiver shows where `filter` matches it; no match is either a new receiver, or
   * one the filter leaves as it is (the insert then fails and changes nothing).
   */
  async function setOrCreate(id: string, filter: Filter<CustomerDoc>, receiver: Receiver) {
    const updated = await customers.updateOne(filter, { $set: receiver.shown });
    if (updated.matchedCount === 0) await ignoreNewer(() => customers.insertOne(newDocument(id, receiver)));
  }

  /** Stored state unknown: update it unless it shows a newer order, else create it. */
  const writeOne = (id: string, receiver: Receiver) =>
    setOrCreate(
      id,
      {
        _id: id,
        $or: [
          { receiverSince: { $exists: false } },
          { receiverSince: { $lte: receiver.shown.receiverSince } },
        ],
      },
      receiver,
    );

  return {
    fold(tenantId: string, order: OrderSnapshot, receiverKey: string): void {
      const next = shownBy(order);
      if (!next) return;
      const customerId = receiverIdOf(receiverKey);
      const id = customerDocId(tenantId, customerId);
      const shown = receivers.get(id)?.shown;
      if (shown && shown.receiverSince > next.receiverSince) return;
      receivers.set(id, { tenantId, customerId, shown: next });
    },
    async write(): Promise<void> {
      const inserts: Write[] = [];
      const updates: Write[] = [];
      for (const [id, receiver] of receivers) {
        const recalled = recallFrom(written, id);
        const { shown } = receiver;
        if (!recalled.known) {
          await writeOne(id, receiver);
        } else if (!recalled.doc) {
          inserts.push({
            id,
            op: { insertOne: { document: newDocument(id, receiver) } },
            memo: { orderContributions: {}, receiverSince: shown.receiverSince },
          });
        } else if ((recalled.doc.receiverSince ?? '') <= shown.receiverSince) {
          updates.push({
            id,
            op: { updateOne: { filter: { _id: id }, update: { $set: shown } } },
            memo: { ...recalled.doc, receiverSince: shown.receiverSince },
          });
        }
      }
      for (const writes of [inserts, updates]) {
        const failed = await bulk(
          customers,
          writes.map((w) => w.op),
        );
        writes.forEach((w, i) => {
          if (failed.has(i)) written?.forget(w.id);
          else written?.remember(w.id, w.memo);
        });
      }
    },
    /**
     * Receivers that orders of the unit named but no longer do (deleted, or shipped to someone else):
     * each shows the newest order still naming it, or is deleted, its fields emptied, when none does,
     * so that a receiver stands for the live orders alone, however their events were read. Derived
     * from the stored orders with the unit's own (`unitOrders`, by id) in their place.
     */
    async rederive(
      lost: Iterable<{ tenantId: string; receiverKey: string }>,
      unitOrders: ReadonlyMap<string, OrderDoc>,
    ): Promise<void> {
      for (const { tenantId, receiverKey } of lost) {
        const customerId = receiverIdOf(receiverKey);
        const id = customerDocId(tenantId, customerId);
        // Few orders name one receiver: all are read, so that the newest is chosen as fold() does.
        const stored = await orders
          .find<{ _id: string; order: Shipped }>(
            { tenantId, receiverKey, deleted: false },
            { projection: { 'order.createdAt': 1, 'order.orderId': 1, 'order.shippingAddress': 1 } },
          )
          .toArray();
        const naming = [
          ...stored.filter((o) => !unitOrders.has(o._id)),
          ...[...unitOrders.values()].filter(
            (o) => o.tenantId === tenantId && o.receiverKey === receiverKey && !o.deleted,
          ),
        ];
        const shown = naming
          .map((o) => shownBy(o.order))
          .reduce<ReceiverShown | null>(
            (a, b) => (b && (!a || b.receiverSince > a.receiverSince) ? b : a),
            null,
          );
        written?.forget(id);
        if (!shown) {
          // Emptied, so that it ends the same whichever order it showed last; without its time, the
          // next order to name it writes it whatever that order's age.
          await customers.updateOne(
            { _id: id },
            {
              $set: {
                deleted: true,
                name: null,
                nameLower: null,
                nameFolded: null,
                phone: null,
                addresses: [],
              },
              $unset: { receiverSince: '' },
            },
          );
        } else {
          await setOrCreate(id, { _id: id }, { tenantId, customerId, shown });
        }
      }
    },
    ids: (): string[] => [...receivers.keys()],
    clear(): void {
      receivers = new Map();
    },
  };
}

import { normalizePhone, type OrderSnapshot } from '@cdp/contracts';
import { sampleCustomer, sampleOrder, sampleProduct } from '@cdp/contracts/samples';
import {
  customerDocId,
  foldedText,
  searchableText,
  productDocId,
  toOrderDoc,
  type CustomerDoc,
  type OrderDoc,
  type ProductDoc,
} from '@cdp/read-models';

/** Read-model documents in the projector's shapes, for tests that write the store directly. */
export const orderDoc = (tenantId: string, patch: Partial<OrderSnapshot> = {}, offset = 0): OrderDoc =>
  toOrderDoc(tenantId, { ...sampleOrder, ...patch }, false, { partition: 0, offset });

export const customerDoc = (tenantId: string, patch: Partial<CustomerDoc> = {}): CustomerDoc => {
  const customerId = patch.customerId ?? sampleCustomer.customerId;
  const c = sampleCustomer;
  return {
    _id: customerDocId(tenantId, customerId),
    tenantId,
    customerId,
    haravanId: customerId,
    isBuyer: true,
    source: 'Haravan',
    name: c.name,
    nameLower: c.name === null ? null : searchableText(c.name),
    nameFolded: c.name === null ? null : foldedText(c.name),
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    emailLower: c.email?.toLowerCase() ?? null,
    phone: normalizePhone(c.addresses[0]?.phone),
    gender: c.gender,
    birthday: c.birthday,
    tags: c.tags,
    acceptsMarketing: c.acceptsMarketing,
    state: c.state,
    note: c.note,
    addresses: c.addresses,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    deleted: false,
    revenueByPolicy: { 'as-written': '13230000.5', 'net-of-refunds': '13000000' },
    totalOrders: 1,
    position: { partition: 0, offset: 0 },
    ...patch,
  };
};

export const productDoc = (tenantId: string, patch: Partial<ProductDoc> = {}): ProductDoc => {
  const productId = patch.productId ?? sampleProduct.productId;
  const title = patch.title ?? sampleProduct.title;
  return {
    ...sampleProduct,
    _id: productDocId(tenantId, productId),
    tenantId,
    skus: sampleProduct.variants.flatMap((v) => (v.sku ? [v.sku] : [])),
    titleLower: searchableText(title),
    titleFolded: foldedText(title),
    deleted: false,
    position: { partition: 0, offset: 0 },
    ...patch,
  };
};

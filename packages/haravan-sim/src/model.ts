import type { MoneyStyle } from './haravan-json.js';
import type { Units } from './money.js';
import type { Stamp } from './timestamp.js';

/** The simulator's own state. Haravan-shaped JSON is derived from it (see payload-*.ts). */

export interface SimAddress {
  id: number;
  firstName: string;
  lastName: string;
  phone: string | null;
  address1: string;
  address2: string | null;
  company: string | null;
  province: string;
  provinceCode: string;
  district: string;
  districtCode: string;
  ward: string;
  wardCode: string;
  /** Haravan sends `"VN"` on orders and sometimes `"vn"` on customer addresses. */
  countryCode: 'VN' | 'vn';
  zip: string | null;
  isDefault: boolean;
}

export type AddressInput = Omit<SimAddress, 'id' | 'isDefault'>;

export interface SimCustomer {
  id: number;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  note: string | null;
  tags: string | null;
  /** Haravan: 1 male, 0 female, null unknown. */
  gender: 0 | 1 | null;
  birthday: string | null;
  acceptsMarketing: boolean;
  addresses: SimAddress[];
  createdAt: Stamp;
  updatedAt: Stamp;
  /** Haravan's own aggregates; deliberately not the CDP's revenue (see ground-truth.ts). */
  ordersCount: number;
  totalSpent: Units;
  lastOrder: { id: number; name: string; date: string } | null;
}

export interface SimVariant {
  id: number;
  title: string;
  sku: string | null;
  barcode: string | null;
  price: Units;
  compareAtPrice: Units | null;
  grams: number;
  option1: string;
  inventoryQuantity: number;
  createdAt: Stamp;
  updatedAt: Stamp;
}

export interface SimProduct {
  id: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  tags: string | null;
  bodyHtml: string;
  variants: SimVariant[];
  publishedAt: Stamp | null;
  createdAt: Stamp;
  updatedAt: Stamp;
}

export interface SimLineItem {
  id: number;
  productId: number | null;
  variantId: number | null;
  sku: string | null;
  title: string;
  variantTitle: string | null;
  vendor: string | null;
  productType: string | null;
  quantity: number;
  price: Units;
  grams: number;
}

export interface SimShippingLine {
  code: string;
  title: string;
  price: Units;
}

export interface SimDiscountCode {
  code: string;
  amount: Units;
  type: 'fixed_amount' | 'percentage' | 'shipping';
}

export type TransactionKind = 'pending' | 'authorization' | 'capture' | 'sale' | 'void' | 'refund';

export interface SimTransaction {
  id: number;
  kind: TransactionKind;
  amount: Units;
  status: string;
  gateway: string;
  createdAt: Stamp;
}

export interface SimRefund {
  id: number;
  note: string | null;
  amount: Units;
  /** Whether the refund includes the shipping charge (R20 cases). */
  includesShipping: boolean;
  transactionId: number;
  createdAt: Stamp;
}

export interface SimFulfillment {
  id: number;
  trackingNumber: string;
  createdAt: Stamp;
}

/** Haravan's `financial_status` values as it writes them, including the odd `partiallypaid`. */
export type FinancialStatus =
  | 'pending'
  | 'authorized'
  | 'partially_paid'
  | 'partiallypaid'
  | 'paid'
  | 'partially_refunded'
  | 'refunded'
  | 'voided';

export type CancelReason = 'customer' | 'fraud' | 'inventory' | 'declined' | 'other';

export interface SimOrder {
  id: number;
  orderNumber: number;
  customerId: number | null;
  email: string | null;
  lineItems: SimLineItem[];
  shippingLines: SimShippingLine[];
  discountCodes: SimDiscountCode[];
  shippingAddress: SimAddress | null;
  billingAddress: SimAddress | null;
  financialStatus: FinancialStatus;
  /** Raw as Haravan writes it: `notfulfilled`, `fulfilled`, `partial`, null, or localized text. */
  fulfillmentStatus: string | null;
  cancelledAt: Stamp | null;
  cancelReason: CancelReason | null;
  closedAt: Stamp | null;
  confirmedAt: Stamp | null;
  locationId: number;
  locationName: string;
  /** web, pos, haravan_draft_order, iphone, android, or the creating app's id. */
  sourceName: string;
  gateway: string;
  gatewayCode: string;
  note: string | null;
  /** Key-value pairs the creating app attached (`note_attributes`). */
  noteAttributes: { name: string; value: string }[];
  tags: string | null;
  transactions: SimTransaction[];
  refunds: SimRefund[];
  fulfillments: SimFulfillment[];
  moneyStyle: MoneyStyle;
  createdAt: Stamp;
  updatedAt: Stamp;
}

import type { ProductSnapshot } from '@cdp/contracts';
import type { Position } from './position';

export interface ProductDoc extends ProductSnapshot {
  _id: string;
  tenantId: string;
  skus: string[];
  titleLower: string;
  deleted: boolean;
  position: Position;
}

export const productDocId = (tenantId: string, productId: string) => `${tenantId}:${productId}`;

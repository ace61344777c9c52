import type { ProductSnapshot } from '@cdp/contracts';
import type { Position } from './position';

export interface ProductDoc extends ProductSnapshot {
  _id: string;
  tenantId: string;
  skus: string[];
  titleLower: string;
  /** `foldedText` of the title; absent on documents written before it was kept. */
  titleFolded?: string;
  deleted: boolean;
  position: Position;
}

export const productDocId = (tenantId: string, productId: string) => `${tenantId}:${productId}`;

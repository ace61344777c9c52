import { toUnits, type MoneyInput } from './money-input.js';
import type { SimProduct, SimVariant } from './model.js';
import type { ShopCore } from './shop-core.js';
import { PRODUCT_KINDS, VENDORS } from './vietnam-data.js';

export interface VariantInput {
  title?: string;
  /** null: Haravan allows variants without a SKU. */
  sku?: string | null;
  price?: MoneyInput;
}

export interface ProductInput {
  title?: string;
  vendor?: string;
  productType?: string;
  tags?: string | null;
  variants?: VariantInput[];
}

export interface ProductPatch {
  title?: string;
  tags?: string | null;
  /** Sets every variant's price. */
  price?: MoneyInput;
}

const SIZES = ['S', 'M', 'L', 'XL'] as const;

function handleOf(title: string, id: number): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
  return `${slug}-${id % 10_000}`;
}

export function requireProduct(core: ShopCore, id: number): SimProduct {
  const product = core.products.get(id);
  if (!product) throw new Error(`no product ${id}`);
  return product;
}

export function createProduct(core: ShopCore, input: ProductInput = {}): SimProduct {
  const at = core.stampAt(core.beginChange());
  const rng = core.rng;
  const kind = rng.pick(PRODUCT_KINDS);
  const id = core.nextId('product');
  const title = input.title ?? `${rng.pick(kind.titles)} ${rng.int(1, 99)}`;
  const basePrice = Math.round(rng.int(kind.price[0], kind.price[1]) / 1000) * 1000;
  const variantInputs: VariantInput[] =
    input.variants ?? SIZES.slice(0, rng.int(1, SIZES.length)).map((size) => ({ title: size }));
  const variants: SimVariant[] = variantInputs.map((v, index) => {
    const variantTitle = v.title ?? SIZES[index % SIZES.length] ?? 'Default Title';
    const variantId = core.nextId('variant');
    return {
      id: variantId,
      title: variantTitle,
      sku: v.sku !== undefined ? v.sku : rng.chance(0.05) ? null : `SKU${id % 100_000}-${variantTitle}`,
      barcode: null,
      price: v.price !== undefined ? toUnits(v.price) : toUnits(basePrice),
      compareAtPrice: null,
      grams: rng.int(100, 1500),
      option1: variantTitle,
      inventoryQuantity: rng.int(-2, 200),
      createdAt: at,
      updatedAt: at,
    };
  });
  const product: SimProduct = {
    id,
    title,
    handle: handleOf(title, id),
    vendor: input.vendor ?? rng.pick(VENDORS),
    productType: input.productType ?? kind.type,
    tags: input.tags !== undefined ? input.tags : null,
    bodyHtml: `<p>${title}</p>`,
    variants,
    publishedAt: at,
    createdAt: at,
    updatedAt: at,
  };
  core.products.set(id, product);
  core.emitProduct('products/create', product);
  return product;
}

export function updateProduct(core: ShopCore, id: number, patch: ProductPatch): SimProduct {
  const product = requireProduct(core, id);
  const at = core.stampAt(core.beginChange(), product.updatedAt);
  if (patch.title !== undefined) product.title = patch.title;
  if (patch.tags !== undefined) product.tags = patch.tags;
  const price = patch.price;
  if (price !== undefined) {
    for (const v of product.variants) {
      v.price = toUnits(price);
      v.updatedAt = at;
    }
  }
  product.updatedAt = at;
  core.emitProduct('products/update', product);
  return product;
}

export function deleteProduct(core: ShopCore, id: number): void {
  requireProduct(core, id);
  core.products.delete(id);
  core.emitDeleted('products/deleted', id, core.stampAt(core.beginChange()));
}

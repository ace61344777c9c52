import { productSnapshotSchema } from '@cdp/contracts';
import { describe, expect, it } from 'vitest';
import { INVALID_PAYLOAD } from './invalid-payload';
import { normalizeProduct } from './normalize-product';

const haravanProduct = {
  id: 1019514123,
  title: 'Áo thun',
  handle: 'ao-thun',
  product_type: 'Thời trang',
  vendor: 'Acme',
  tags: 'hè, cotton',
  body_html: '<p>…</p>',
  created_at: '2020-09-18T04:12:09.577Z',
  updated_at: '2020-09-19T01:00:00.1Z',
  published_at: '2020-09-18T04:12:09Z',
  published_scope: null,
  options: [{ id: 1, name: 'Size', position: 1, product_id: 1019514123 }],
  variants: [
    {
      id: 1040000001,
      product_id: 1019514123,
      title: 'M',
      sku: 'AT-M',
      barcode: '',
      price: 6600000.0,
      compare_at_price: 7000000.0,
      inventory_management: 'haravan',
      inventory_quantity: -2,
      inventory_advance: { qty_available: 0 },
    },
    { id: 1040000002, title: 'L', sku: null, price: 0, compare_at_price: null, inventory_quantity: null },
    { title: 'no id, dropped', price: 1 },
  ],
  images: [
    { id: 5, src: 'x.jpg', created_at: '2020-09-18T04:12:09.577', updated_at: '2020-09-18T04:12:09.577' },
  ],
};

describe('normalizeProduct', () => {
  it('given a documented product, when normalised, then variants carry money strings and signed inventory', () => {
    const result = normalizeProduct(haravanProduct);
    if (!result.ok) throw result.error;

    expect(productSnapshotSchema.parse(result.value)).toEqual({
      productId: '1019514123',
      createdAt: '2020-09-18T04:12:09.577Z',
      updatedAt: '2020-09-19T01:00:00.100Z',
      title: 'Áo thun',
      handle: 'ao-thun',
      productType: 'Thời trang',
      vendor: 'Acme',
      tags: ['hè', 'cotton'],
      publishedAt: '2020-09-18T04:12:09.000Z',
      variants: [
        {
          variantId: '1040000001',
          title: 'M',
          sku: 'AT-M',
          barcode: null,
          price: '6600000',
          compareAtPrice: '7000000',
          inventoryQuantity: -2,
        },
        {
          variantId: '1040000002',
          title: 'L',
          sku: null,
          barcode: null,
          price: '0',
          compareAtPrice: null,
          inventoryQuantity: null,
        },
      ],
    });
  });

  it('given an unpublished product without variants, when normalised, then publishedAt is null and variants empty', () => {
    const result = normalizeProduct({ ...haravanProduct, published_at: null, variants: null });

    expect(result.ok && result.value).toMatchObject({ publishedAt: null, variants: [] });
  });

  it('given stock beyond 32 bits, when normalised, then it reads as unknown, as Avro int cannot carry it', () => {
    const variant = { id: 1, title: 'X', price: 1, inventory_quantity: 9_999_999_999 };
    const result = normalizeProduct({
      ...haravanProduct,
      variants: [variant, { ...variant, id: 2, inventory_quantity: '2147483647' }],
    });
    if (!result.ok) throw result.error;

    expect(result.value.variants.map((v) => v.inventoryQuantity)).toEqual([null, 2_147_483_647]);
    expect(productSnapshotSchema.parse(result.value)).toEqual(result.value);
  });

  it('given a product without an id, when normalised, then it is an invalid-payload error', () => {
    const result = normalizeProduct({ ...haravanProduct, id: 0 });

    expect(!result.ok && result.error.code).toBe(INVALID_PAYLOAD);
  });
});

import type { Collection, Filter } from 'mongodb';
import { z } from 'zod';
import { productDocId, type ProductDoc } from '@cdp/read-models';
import { notFound } from './http-error';
import { cursorParam, limitParam, pageOf, pageSchema } from './pagination';
import { searchTextParam, textSearchFilter } from './prefix-match';
import { tenantIdsAfter } from './tenant-ids';
import { productView, productViewSchema } from './product-view';
import { getRoute, type Route } from './route';
import { exactLookup } from './query-params';

const searchQuery = z.object({
  q: searchTextParam
    .optional()
    .describe(
      'case-insensitive prefix of the title; typed without diacritics (ao thun), it matches titles whatever theirs',
    ),
  sku: exactLookup(z.string().min(1).optional().describe("exact SKU of one of the product's variants")),
  limit: limitParam,
  cursor: cursorParam(z.tuple([z.string()])),
});

export function productRoutes(products: Collection<ProductDoc>): Route[] {
  return [
    getRoute(
      {
        path: '/v1/products/:productId',
        readsFrom: ['products'],
        summary: 'One product',
        params: z.object({ productId: z.string().min(1) }),
        query: z.object({}),
        response: productViewSchema,
      },
      async ({ tenantId, params }) => {
        const doc = await products.findOne({ _id: productDocId(tenantId, params.productId) });
        if (!doc) throw notFound('product');
        return productView(doc);
      },
    ),
    getRoute(
      {
        path: '/v1/products',
        readsFrom: ['products'],
        summary: 'Search products',
        description: 'All given filters must match. Deleted products are left out. Ordered by product id.',
        params: z.object({}),
        query: searchQuery,
        response: pageSchema(productViewSchema),
      },
      async ({ tenantId, query }) => {
        const filter: Filter<ProductDoc> = { tenantId, deleted: false };
        if (query.sku) filter.skus = query.sku;
        if (query.q)
          Object.assign(filter, textSearchFilter(query.q, { exact: 'titleLower', folded: 'titleFolded' }));
        filter._id = tenantIdsAfter(tenantId, query.cursor && productDocId(tenantId, query.cursor[0]));
        const docs = await products
          .find(filter)
          .sort({ _id: 1 })
          .limit(query.limit + 1)
          .toArray();
        return pageOf(docs, query.limit, (d) => [d.productId], productView);
      },
    ),
  ];
}

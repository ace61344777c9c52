import { z } from 'zod';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

export const limitParam = z.coerce
  .number()
  .int()
  .min(1)
  .max(MAX_LIMIT)
  .default(DEFAULT_LIMIT)
  .describe(`page size, at most ${MAX_LIMIT}`);

/** The cursor is opaque to clients: base64url of the JSON of the last item's sort key. */
export const encodeCursor = (key: readonly unknown[]): string =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

/** A `cursor` query parameter that decodes to a sort key of `keySchema`; anything else fails validation (400). */
export function cursorParam<K extends z.ZodType>(keySchema: K) {
  return z
    .string()
    .transform((cursor, ctx): z.output<K> => {
      let decoded: unknown;
      try {
        decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        decoded = undefined;
      }
      const key = keySchema.safeParse(decoded);
      if (key.success) return key.data;
      ctx.addIssue({ code: 'custom', message: 'not a cursor of this list' });
      return z.NEVER;
    })
    .optional()
    .describe('opaque; the `nextCursor` of the previous page');
}

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() });

/**
 * One page of items already sorted and already past the cursor; `limit + 1` items tell whether
 * another page follows.
 */
export function pageOf<T, V>(
  items: readonly T[],
  limit: number,
  keyOf: (item: T) => readonly unknown[],
  view: (item: T) => V,
): { items: V[]; nextCursor: string | null } {
  const page = items.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(view),
    nextCursor: items.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}

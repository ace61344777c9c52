import { z } from 'zod';

/** The contract's error body: `{ error: { code, message } }`. */
export const errorViewSchema = z.strictObject({
  error: z.strictObject({ code: z.string(), message: z.string() }),
});
export type ErrorView = z.output<typeof errorViewSchema>;

/**
 * Errors carry a stable code and whether trying again can help: `retriable` decides between
 * retry-with-backoff and dead-letter in consumers, and between 503 and 4xx at the edge.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });

export function isRetriable(error: unknown): boolean {
  if (error instanceof AppError) return error.retriable;
  return typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;
}

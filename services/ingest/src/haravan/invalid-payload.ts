import { AppError } from '@cdp/contracts';

export const INVALID_PAYLOAD = 'ERR_INGEST_INVALID_PAYLOAD';

/** Bad input never gets better by retrying, so it is not retriable: the consumer dead-letters it. */
export function invalidPayload(message: string): AppError {
  return new AppError(INVALID_PAYLOAD, message, false);
}

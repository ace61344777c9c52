import { AppError, err, ok, type Result } from '@cdp/contracts';
import { backoffDelayMs, parseRetryAfterMs, type BackoffPolicy } from './backoff';
import { CALL_LIMIT_HEADER, parseCallLimit } from './call-limit';
import type { PolledResource } from '@cdp/contracts';
import type { CallPriority, ShopBucket } from './shop-bucket';
import { sleep } from './sleep';
import { toId } from '../haravan/lenient';
import { isRecord } from '../haravan/unwrap';
import type { HaravanClock } from './haravan-clock';

export interface RetryPolicy extends BackoffPolicy {
  /** Attempts in all for 5xx and network errors. */
  attempts: number;
  /** Attempts in all for 429s: a separate, larger budget, since Retry-After tells us when to return. */
  throttledAttempts: number;
  timeoutMs: number;
}

export interface HaravanClientOptions {
  baseUrl: string;
  accessToken: string;
  bucket: ShopBucket;
  retry: RetryPolicy;
  now: () => number;
  random?: () => number;
  /** Aborts waits and in-flight calls; the call then fails with ERR_HARAVAN_ABORTED. */
  signal?: AbortSignal;
  onResponse?: (status: number) => void;
  /** Told the time of every answer (its `Date` header). */
  clock?: HaravanClock;
}

export type Query = Record<string, string | number>;

export interface HaravanClient {
  /** One page of `/com/{resource}.json`: the bare records, in the order Haravan listed them. */
  list(resource: PolledResource, query: Query): Promise<Result<Record<string, unknown>[]>>;
  count(resource: PolledResource, query: Query): Promise<Result<number>>;
  /**
   * `/com/{resource}/{id}.json`: the bare record, or null when Haravan answers 404 (it is gone).
   * `push` when a push reads before it writes: the read takes the push's turn in the bucket.
   */
  get(
    resource: PolledResource,
    id: string,
    priority?: CallPriority,
  ): Promise<Result<Record<string, unknown> | null>>;
  /**
   * A create (POST) or update (PUT) under `/com/`, answered with Haravan's JSON body. A PUT is
   * retried like a read; a POST only when Haravan surely did not take it (429), since Haravan has
   * no idempotency key: a POST whose answer was lost fails with ERR_HARAVAN_OUTCOME_UNKNOWN.
   */
  write(method: 'POST' | 'PUT', path: string, body: unknown): Promise<Result<unknown>>;
  /** `/com/shop.json`: the id of the shop the credentials open, which is its Haravan org id. */
  shop(): Promise<Result<string>>;
}

export const HARAVAN_ERRORS = {
  unauthorized: 'ERR_HARAVAN_UNAUTHORIZED',
  /** 403: the token lacks a scope the call needs. */
  forbidden: 'ERR_HARAVAN_FORBIDDEN',
  unavailable: 'ERR_HARAVAN_UNAVAILABLE',
  throttled: 'ERR_HARAVAN_THROTTLED',
  rejected: 'ERR_HARAVAN_REJECTED',
  notFound: 'ERR_HARAVAN_NOT_FOUND',
  badResponse: 'ERR_HARAVAN_BAD_RESPONSE',
  aborted: 'ERR_HARAVAN_ABORTED',
  outcomeUnknown: 'ERR_HARAVAN_OUTCOME_UNKNOWN',
  /** The credentials open another shop than the tenant's (see shop-identity). */
  wrongShop: 'ERR_HARAVAN_WRONG_SHOP',
} as const;

/** Failures before any byte reached Haravan: even a POST may be sent again after these. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const neverSent = (error: unknown): boolean => {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' && NOT_CONNECTED.has(code);
};

/** Haravan's REST API for one shop: paced by the shop's bucket, retrying what may pass next time. */
export function createHaravanClient(options: HaravanClientOptions): HaravanClient {
  const random = options.random ?? Math.random;
  const { retry, bucket, signal } = options;

  async function call(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    query: Query,
    body?: unknown,
    priority: CallPriority = method === 'GET' ? 'poll' : 'push',
  ): Promise<Result<unknown>> {
    const url = new URL(`${options.baseUrl.replace(/\/+$/, '')}/com/${path}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));
    const what = `${method} ${path}`;
    // Only a POST may not be sent twice: a lost answer may hide a created resource.
    const unsure = (message: string) =>
      err(
        new AppError(
          HARAVAN_ERRORS.outcomeUnknown,
          `${what}: ${message}; Haravan may have created it, so it is not sent again`,
          false,
        ),
      );
    let failures = 0;
    let throttles = 0;
    let last = '';
    for (;;) {
      await bucket.acquire(signal, priority);
      if (signal?.aborted) return err(new AppError(HARAVAN_ERRORS.aborted, 'polling stopped', true));
      let response: Response;
      try {
        const timeout = AbortSignal.timeout(retry.timeoutMs);
        response = await fetch(url, {
          method,
          headers: {
            Authorization: `Bearer ${options.accessToken}`,
            Accept: 'application/json',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          // Haravan's API does not redirect: followed, a 307 would carry a customer's body to any
          // address, http included. Not followed, a 3xx is refused like any other unknown answer.
          redirect: 'manual',
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (cause) {
        if (signal?.aborted && method !== 'POST')
          return err(new AppError(HARAVAN_ERRORS.aborted, 'polling stopped', true));
        options.onResponse?.(0);
        last = cause instanceof Error ? cause.message : String(cause);
        if (method === 'POST' && !neverSent(cause)) return unsure(last);
        if (++failures >= retry.attempts)
          return err(new AppError(HARAVAN_ERRORS.unavailable, `${what}: ${last}`, true, { cause }));
        await sleep(backoffDelayMs(failures, retry, random), signal);
        continue;
      }
      options.onResponse?.(response.status);
      options.clock?.observe(response.headers.get('date'), options.now());
      const limit = parseCallLimit(response.headers.get(CALL_LIMIT_HEADER));
      if (limit) bucket.observe(limit.used);
      const text = await response.text().catch(() => '');

      if (response.status === 429) {
        const floor = parseRetryAfterMs(response.headers.get('retry-after'), options.now()) ?? 1000;
        bucket.throttled(Math.max(floor, backoffDelayMs(throttles + 1, retry, random)));
        if (++throttles >= retry.throttledAttempts)
          return err(new AppError(HARAVAN_ERRORS.throttled, `${what}: still throttled`, true));
        continue;
      }
      if (response.status === 401 || response.status === 403)
        return err(
          new AppError(
            response.status === 401 ? HARAVAN_ERRORS.unauthorized : HARAVAN_ERRORS.forbidden,
            `${what}: ${response.status} ${text.slice(0, 200)}`,
            false,
          ),
        );
      if (response.status >= 500) {
        last = `${response.status}`;
        if (method === 'POST') return unsure(`answered ${last}`);
        if (++failures >= retry.attempts)
          return err(new AppError(HARAVAN_ERRORS.unavailable, `${what}: ${last}`, true));
        await sleep(backoffDelayMs(failures, retry, random), signal);
        continue;
      }
      if (response.status === 404)
        return err(new AppError(HARAVAN_ERRORS.notFound, `${what}: 404 ${text.slice(0, 200)}`, false));
      if (response.status !== 200 && response.status !== 201)
        return err(
          new AppError(HARAVAN_ERRORS.rejected, `${what}: ${response.status} ${text.slice(0, 500)}`, false),
        );
      try {
        return ok(JSON.parse(text) as unknown);
      } catch {
        return method === 'POST'
          ? unsure('the answer is not JSON')
          : err(new AppError(HARAVAN_ERRORS.badResponse, `${what}: body is not JSON`, true));
      }
    }
  }

  return {
    async list(resource, query) {
      const body = await call('GET', `${resource}.json`, query);
      if (!body.ok) return body;
      const list = isRecord(body.value) ? body.value[resource] : undefined;
      if (!Array.isArray(list))
        return err(
          new AppError(HARAVAN_ERRORS.badResponse, `GET ${resource}.json: no "${resource}" list`, true),
        );
      return ok(list.filter(isRecord));
    },
    async count(resource, query) {
      const body = await call('GET', `${resource}/count.json`, query);
      if (!body.ok) return body;
      const count = isRecord(body.value) ? body.value['count'] : undefined;
      return typeof count === 'number'
        ? ok(count)
        : err(new AppError(HARAVAN_ERRORS.badResponse, `GET ${resource}/count.json: no count`, true));
    },
    async get(resource, id, priority) {
      const singular = resource.slice(0, -1);
      const body = await call('GET', `${resource}/${encodeURIComponent(id)}.json`, {}, undefined, priority);
      if (!body.ok) return body.error.code === HARAVAN_ERRORS.notFound ? ok(null) : body;
      const record = isRecord(body.value) ? body.value[singular] : undefined;
      return isRecord(record)
        ? ok(record)
        : err(new AppError(HARAVAN_ERRORS.badResponse, `GET ${resource}/${id}.json: no "${singular}"`, true));
    },
    write: (method, path, body) => call(method, path, {}, body),
    async shop() {
      const body = await call('GET', 'shop.json', {});
      if (!body.ok) return body;
      const shop = isRecord(body.value) ? body.value['shop'] : undefined;
      const id = isRecord(shop) ? toId(shop['id']) : null;
      return id === null
        ? err(new AppError(HARAVAN_ERRORS.badResponse, 'GET shop.json: no shop id', true))
        : ok(id);
    },
  };
}

/**
 * Whether a failed insert is worth retrying, decided by one pure function (table-tested).
 * Data errors never are: the same rows would fail again. Network trouble, timeouts and
 * overload (too many parts, memory, concurrency) are, with jittered exponential backoff.
 */
import { ClickHouseError } from '@clickhouse/client';

/** ClickHouse server codes that mean "try again later" (network, overload, parts, replicas). */
const RETRIABLE_SERVER_CODES = new Set([
  3, // UNEXPECTED_END_OF_FILE
  159, // TIMEOUT_EXCEEDED
  164, // READONLY (a replica switching roles)
  202, // TOO_MANY_SIMULTANEOUS_QUERIES
  203, // NO_FREE_CONNECTION
  209, // SOCKET_TIMEOUT
  210, // NETWORK_ERROR
  241, // MEMORY_LIMIT_EXCEEDED
  242, // TABLE_IS_READ_ONLY
  252, // TOO_MANY_PARTS (18.16 refuses inserts past 300 parts per partition)
  285, // TOO_FEW_LIVE_REPLICAS
  319, // UNKNOWN_STATUS_OF_INSERT
  425, // SYSTEM_ERROR
  999, // KEEPER_EXCEPTION
  1002, // UNKNOWN_EXCEPTION
]);

/** Node socket errors and the client's timeout message. */
const RETRIABLE_NET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

export type ErrorKind = 'transient' | 'data' | 'programming';

export function errorKind(err: unknown): ErrorKind {
  if (err instanceof ClickHouseError) {
    return RETRIABLE_SERVER_CODES.has(Number(err.code)) ? 'transient' : 'data';
  }
  if (err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError) return 'programming';
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && RETRIABLE_NET.has(code)) return 'transient';
    if (/timeout|socket hang up|ECONNRESET|ECONNREFUSED|network/i.test(err.message)) return 'transient';
    // An HTTP error page without a ClickHouse code (a proxy in front of it): 5xx is transient.
    const status = /\b(50[234])\b/.exec(err.message);
    if (status) return 'transient';
  }
  return 'data';
}

export interface RetryPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Attempts after the first; Infinity keeps trying transient errors until shut down. */
  readonly maxRetries: number;
}

export const DEFAULT_RETRY: RetryPolicy = { initialDelayMs: 250, maxDelayMs: 10_000, maxRetries: Infinity };

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; kind: ErrorKind };

/**
 * `attempt` counts failures so far (1 after the first). Full jitter: a delay drawn uniformly from
 * [0, min(max, initial * 2^(attempt-1))]; `random` is injectable for tests.
 */
export function retryDecision(
  err: unknown,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): RetryDecision {
  const kind = errorKind(err);
  if (kind !== 'transient' || attempt > policy.maxRetries) return { retry: false, kind };
  const cap = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt - 1, 30));
  return { retry: true, delayMs: Math.round(random() * cap) };
}

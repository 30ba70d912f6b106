/**
 * Writes drained buffers to ClickHouse: raw rows to `events`, group rows to
 * `agg_minute_input` (whose MV feeds `agg_minute`). Both tables are idempotent under
 * replay, so a batch that failed halfway is simply written again.
 *
 * One batch at a time per writer: the caller waits for `write` before handing over the
 * next buffer, which is what bounds memory (the consumer pauses while it waits).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { identifier } from '@ndr/clickhouse';
import type { BufferContents } from './aggregate-buffer.js';
import { WriterError } from './errors.js';
import { DEFAULT_RETRY, retryDecision, type RetryPolicy } from './retry.js';
import type { AggRow, EventRow } from './rows.js';

export interface WriterConfig {
  readonly database: string;
  readonly retry?: RetryPolicy;
  /** Rows per INSERT at most; larger buffers are split (each INSERT is one part per partition). */
  readonly maxRowsPerInsert?: number;
}

/** What the writer reports, per insert and per retry (metrics and logs are derived from these). */
export type WriterEvent =
  | { type: 'inserted'; table: string; rows: number; durationMs: number }
  | { type: 'retrying'; table: string; attempt: number; delayMs: number; error: unknown }
  | { type: 'failed'; table: string; attempts: number; error: unknown };

export interface WriterDeps {
  readonly client: ClickHouseClient;
  readonly onEvent?: (e: WriterEvent) => void;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface WriteReport {
  readonly events: number;
  readonly aggregates: number;
  readonly durationMs: number;
}

export interface Writer {
  /** Resolves once every row is durable in ClickHouse; rejects with a WriterError. */
  write(batch: BufferContents, signal?: AbortSignal): Promise<WriteReport>;
  close(): Promise<void>;
}

const sleepFor = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export function createWriter(config: WriterConfig, deps: WriterDeps): Writer {
  const db = identifier(config.database).text;
  const policy = config.retry ?? DEFAULT_RETRY;
  const maxRows = config.maxRowsPerInsert ?? 200_000;
  const sleep = deps.sleep ?? sleepFor;
  const emit = deps.onEvent ?? (() => undefined);
  let closed = false;

  async function insertWithRetry(
    table: string,
    values: readonly (EventRow | AggRow)[],
    signal?: AbortSignal,
  ): Promise<void> {
    const attempts: unknown[] = [];
    for (;;) {
      if (closed) throw new WriterError('closed', 'writer is closed', true);
      const t0 = performance.now();
      try {
        await deps.client.insert({ table: `${db}.${table}`, values: values as object[], format: 'JSONEachRow' });
        emit({ type: 'inserted', table, rows: values.length, durationMs: performance.now() - t0 });
        return;
      } catch (error) {
        attempts.push(error);
        const d = retryDecision(error, attempts.length, policy);
        if (!d.retry) {
          emit({ type: 'failed', table, attempts: attempts.length, error });
          if (d.kind === 'transient') {
            throw new WriterError('retries_exhausted', `insert into ${table} failed ${attempts.length} times`, true, {
              cause: error,
              attempts,
            });
          }
          throw new WriterError(
            'data_rejected',
            `ClickHouse rejected the insert into ${table}: ${String((error as Error)?.message ?? error)}`,
            false,
            { cause: error, attempts },
          );
        }
        emit({ type: 'retrying', table, attempt: attempts.length, delayMs: d.delayMs, error });
        try {
          await sleep(d.delayMs, signal);
        } catch (abort) {
          throw new WriterError('aborted', `insert into ${table} abandoned while waiting to retry`, true, {
            cause: abort,
            attempts,
          });
        }
      }
    }
  }

  async function insertChunked(table: string, rows: readonly (EventRow | AggRow)[], signal?: AbortSignal) {
    for (let i = 0; i < rows.length; i += maxRows) await insertWithRetry(table, rows.slice(i, i + maxRows), signal);
  }

  return {
    async write(batch, signal) {
      const t0 = performance.now();
      // Raw rows first, then aggregates; either order is safe because both are idempotent.
      if (batch.events.length) await insertChunked('events', batch.events, signal);
      if (batch.aggregates.length) await insertChunked('agg_minute_input', batch.aggregates, signal);
      return { events: batch.events.length, aggregates: batch.aggregates.length, durationMs: performance.now() - t0 };
    },
    async close() {
      closed = true;
    },
  };
}

/**
 * Writes drained buffers to ClickHouse: one TabSeparated INSERT into `events` per chunk of rows;
 * the materialized view `agg_minute_events_mv` (migration 004) aggregates the same block into
 * `agg_minute`. Both tables are idempotent under replay, so a batch that failed halfway is
 * simply written again.
 *
 * One batch at a time per writer: the caller waits for `write` before handing over the
 * next buffer, which is what bounds memory (the consumer pauses while it waits).
 */
import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import { identifier } from '@ndr/clickhouse';
import type { BufferContents } from './event-buffer.js';
import { WriterError } from './errors.js';
import { DEFAULT_RETRY, retryDecision, type RetryPolicy } from './retry.js';
import { EVENT_COLUMNS } from './tsv.js';

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
    chunks: readonly Buffer[],
    rows: number,
    signal?: AbortSignal,
  ): Promise<void> {
    const attempts: unknown[] = [];
    for (;;) {
      if (closed) throw new WriterError('closed', 'writer is closed', true);
      const t0 = performance.now();
      try {
        await deps.client.insert({
          table: `${db}.${table}`,
          values: Readable.from(chunks, { objectMode: false }), // a fresh stream per attempt
          format: 'TabSeparated',
          columns: [...EVENT_COLUMNS],
        });
        emit({ type: 'inserted', table, rows, durationMs: performance.now() - t0 });
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

  /** One INSERT per run of chunks holding up to maxRows rows (each INSERT is one part per partition). */
  async function insertSplit(table: string, batch: BufferContents, signal?: AbortSignal) {
    let from = 0;
    while (from < batch.chunks.length) {
      let to = from;
      let rows = 0;
      while (to < batch.chunks.length && (to === from || rows + batch.chunkRows[to]! <= maxRows))
        rows += batch.chunkRows[to++]!;
      await insertWithRetry(table, batch.chunks.slice(from, to), rows, signal);
      from = to;
    }
  }

  return {
    async write(batch, signal) {
      const t0 = performance.now();
      if (batch.eventCount) await insertSplit('events', batch, signal);
      return { events: batch.eventCount, durationMs: performance.now() - t0 };
    },
    async close() {
      closed = true;
    },
  };
}

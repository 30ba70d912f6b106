/**
 * Rows held between flushes, already encoded. Each event becomes its `events` row as it arrives and
 * that row its TabSeparated line (see tsv.ts); lines are packed into Buffers of about 64 KiB. So
 * what waits for ClickHouse lives outside the JavaScript heap: the per-event objects die young and
 * the garbage collector never has to promote or trace tens of thousands of held rows, and a flush
 * has nothing left to encode. ClickHouse derives the per-minute aggregates from the rows (migration 004).
 */
import type { Classification } from '@ndr/classifier';
import type { NormalizedEvent } from '@ndr/events';
import { toEventRow, type EventRow } from './rows.js';
import { EVENT_COLUMNS, eventRowTsv, type EventColumn } from './tsv.js';

/** Characters per chunk before it is sealed into a Buffer. */
const CHUNK_CHARS = 64 * 1024;

export interface BufferContents {
  /** The rows as TabSeparated text in EVENT_COLUMNS order, in chunks that end on a row boundary. */
  readonly chunks: readonly Buffer[];
  /** Rows in each chunk (the writer splits large batches into several inserts on chunk boundaries). */
  readonly chunkRows: readonly number[];
  /** Events added (= rows). */
  readonly eventCount: number;
  /** Bytes held. */
  readonly approxBytes: number;
}

export class EventBuffer {
  private chunks: Buffer[] = [];
  private chunkRows: number[] = [];
  private text = '';
  private textRows = 0;
  private count = 0;
  private bytes = 0;

  /** A batch of ready-made rows (tools and tests; the pipeline adds events one by one). */
  static of(rows: readonly EventRow[]): BufferContents {
    const b = new EventBuffer();
    for (const r of rows) b.addRow(r);
    return b.drain();
  }

  get eventCount(): number {
    return this.count;
  }

  /** Bytes held (sealed chunks) plus the characters of the chunk being filled. */
  get approxBytes(): number {
    return this.bytes + this.text.length;
  }

  add(e: NormalizedEvent, c: Classification, source: string, ingestedAtMs: number): void {
    this.addRow(toEventRow(e, c, source, ingestedAtMs));
  }

  addRow(row: EventRow): void {
    this.text += eventRowTsv(row);
    this.textRows++;
    this.count++;
    if (this.text.length >= CHUNK_CHARS) this.seal();
  }

  /** Hands over everything held and starts empty. */
  drain(): BufferContents {
    this.seal();
    const out: BufferContents = {
      chunks: this.chunks,
      chunkRows: this.chunkRows,
      eventCount: this.count,
      approxBytes: this.bytes,
    };
    this.chunks = [];
    this.chunkRows = [];
    this.count = 0;
    this.bytes = 0;
    return out;
  }

  private seal(): void {
    if (this.textRows === 0) return;
    const chunk = Buffer.from(this.text);
    this.chunks.push(chunk);
    this.chunkRows.push(this.textRows);
    this.bytes += chunk.length;
    this.text = '';
    this.textRows = 0;
  }
}

/** Undoes tsvString's escapes (array fields keep their quoted text form). */
const unescapeField = (s: string): string =>
  s.includes('\\') ? s.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', '0': '\0' })[c] ?? c) : s;

/** A batch read back as column → text (tests, debugging tools): the inverse of the encoding. */
export function batchRows(contents: BufferContents): Record<EventColumn, string>[] {
  const rows: Record<EventColumn, string>[] = [];
  for (const chunk of contents.chunks) {
    for (const line of chunk.toString('utf8').split('\n').slice(0, -1)) {
      const fields = line.split('\t');
      rows.push(Object.fromEntries(EVENT_COLUMNS.map((col, i) => [col, unescapeField(fields[i] ?? '')])) as never);
    }
  }
  return rows;
}

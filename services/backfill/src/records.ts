/** What readers hand to the pipeline: plain objects of an @ndr/events shape, numbered for checkpoints. */
import { REJECT_REASONS, type RejectReason } from '@ndr/events';

/** Reasons a reader itself gives, before @ndr/events sees the row. */
export const READER_REJECT_REASONS = [
  /** A CSV row with more or fewer fields than the header. */
  'column_count',
  /** An e-mail that is not a delivery-status report (no multipart/report, no message/delivery-status part). */
  'not_a_dsn',
  /** A delivery-status report without any per-recipient block. */
  'no_recipient_blocks',
] as const;

/** The closed list of reasons in the rejects file and the summary: @ndr/events' reasons plus the readers'. */
export const BACKFILL_REJECT_REASONS = [...REJECT_REASONS, ...READER_REJECT_REASONS] as const;
export type BackfillRejectReason = RejectReason | (typeof READER_REJECT_REASONS)[number];

export interface SourceRecord {
  /** The row as an @ndr/events shape; null when the reader rejected it. */
  value: Record<string, unknown> | null;
  /**
   * 1-based record number in the file: CSV data row, JSON element or line, e-mail in an mbox. The
   * checkpoint unit. Rows expanded from one record (historical CSV recipients, DSN recipient blocks)
   * share it.
   */
  rowNo: number;
  /** 1-based line where the record starts (0 when unknown). */
  line: number;
  reject?: { reason: BackfillRejectReason; detail: string };
  /** Raw text of the record, for the rejects file, when the reader has it. */
  raw?: string;
  /** CSV fields, from which the raw line is rebuilt for the rejects file. */
  fields?: readonly string[];
}

/** Rebuilds a CSV line from its fields (for the rejects file; only rejected rows pay for it). */
export function csvLine(fields: readonly string[]): string {
  return fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(',');
}

export function rawOf(r: SourceRecord): string {
  if (r.raw !== undefined) return r.raw;
  if (r.fields !== undefined) return csvLine(r.fields);
  if (r.value !== null) return JSON.stringify(r.value);
  return '';
}

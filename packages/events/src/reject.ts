/**
 * Why a Kafka message was not turned into an event. A closed list: it is the `reason` label of the
 * rejected-events metric and of the dead-letter record, so it never carries free text (`detail` does).
 */
import type { z } from 'zod';

export const REJECT_REASONS = [
  /** Kafka value is null/empty (tombstone or a producer bug). */
  'empty_payload',
  /** More bytes than the decoder's `maxBytes` (checked before decoding). */
  'oversize',
  /** Not UTF-8 (or UTF-16LE with BOM / recognisably UTF-16LE). */
  'invalid_encoding',
  /** Not JSON (truncated, garbage). */
  'invalid_json',
  /** JSON, but a string/number/null instead of an object. */
  'not_an_object',
  /** A batch wrapper: JSON array, Graph page `{value: [...]}`, Event Hubs `{records: [...]}`. One row per message. */
  'batch_envelope',
  /** The topic kind passed to the decoder is not one of TOPIC_KINDS. */
  'unknown_topic',
  /** An object that has none of the identifying fields of any shape on this topic. */
  'unknown_shape',
  /** An NDR with a `schema_version` this build does not know. */
  'unsupported_version',
  /** The shape was recognised but a field is missing or has the wrong type/format (detail names the path). */
  'schema_mismatch',
  /** Valid row, but no tenant in any of the accepted fields. */
  'missing_tenant',
  /** A bug in this package (an exception was caught). Never expected; alert on it. */
  'internal_error',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Rejected {
  ok: false;
  reason: RejectReason;
  /** Human-readable, for logs and dead letters; bounded length; never a metric label. */
  detail: string;
}

export type ParseResult<T> = { ok: true; value: T } | Rejected;

export const MAX_DETAIL_CHARS = 500;

export function reject(reason: RejectReason, detail: string): Rejected {
  return {
    ok: false,
    reason,
    detail: detail.length > MAX_DETAIL_CHARS ? detail.slice(0, MAX_DETAIL_CHARS - 1) + '…' : detail,
  };
}

/** `Size: Invalid input: expected number, received string; Received: expected a UTC timestamp …` (first 3 issues). */
export function describeIssues(shape: string, issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, 3).map((i) => `${i.path.length === 0 ? '(root)' : i.path.join('.')}: ${i.message}`);
  const more = issues.length > 3 ? ` (+${issues.length - 3} more)` : '';
  return `${shape}: ${parts.join('; ')}${more}`;
}

/** Turn a zod safeParse result into a ParseResult whose detail names the failing field paths. */
export function fromSafeParse<T>(
  shape: string,
  r: { success: true; data: T } | { success: false; error: { issues: z.core.$ZodIssue[] } },
): ParseResult<T> {
  return r.success ? { ok: true, value: r.data } : reject('schema_mismatch', describeIssues(shape, r.error.issues));
}

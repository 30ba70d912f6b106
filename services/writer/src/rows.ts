/**
 * From a normalised, classified event to the row ClickHouse stores in `events`. ClickHouse derives
 * the per-minute aggregates (`agg_minute`) from these rows (migration 004), so every dimension an
 * aggregate has is a column here. Pure functions: the live consumer and the backfill share them,
 * so both count alike.
 */
import type { Classification } from '@ndr/classifier';
import type { NormalizedEvent } from '@ndr/events';

/** A row of `events` (migration 001). DateTimes are epoch seconds. */
export interface EventRow {
  event_time: number;
  tenant: string;
  schema: string;
  natural_key: string;
  message_key: string;
  version: number;
  status: string;
  terminal: 0 | 1;
  /** A failed or deferred delivery (see isBounce): the `bounce` dimension of the aggregates. */
  bounce: 0 | 1;
  direction: string;
  sender: string;
  recipient: string;
  sender_domain: string;
  recipient_domain: string;
  ip: string;
  code: string;
  reply: string;
  entry: string;
  class: string;
  reason: string;
  category: string;
  alert_tags: string[];
  matched_by: string;
  message_trace_id: string;
  message_id: string;
  subject: string;
  size_bytes: number;
  diagnostic: string;
  source: string;
  ingested_at: number;
}

/** Statuses that report a failed or deferred delivery (trace-detail events, DSN actions). */
const BOUNCE_STATUSES = new Set(['fail', 'defer', 'failed', 'delayed', 'drop']);

/** Bounded so one hostile event cannot blow up a row (the original stays in Kafka). */
const MAX_DIAGNOSTIC_CHARS = 2048;
const MAX_SUBJECT_CHARS = 256;
const VERSION_RANK_SHIFT = 2 ** 42;

/** The minute an event belongs to, as epoch seconds. */
export const bucketOf = (eventTimeMs: number): number => Math.floor(eventTimeMs / 60_000) * 60;

/**
 * One message to one recipient, whichever surface reported it: a trace row, its detail events and
 * the NDR that bounced it share this key, so a bounce counts once per code.
 */
export function messageKey(e: NormalizedEvent): string {
  const id = e.message_trace_id ?? e.message_id;
  return id ? `${id}|${e.recipient}` : e.natural_key;
}

/** A failed/deferred delivery reported by a detail event or an NDR. Trace rows feed message totals instead. */
export function isBounce(e: NormalizedEvent, c: Classification): boolean {
  return e.schema !== 'message_trace' && BOUNCE_STATUSES.has(e.status) && c.class !== 'success';
}

/**
 * The IP that matters for blocking: the one named in the diagnostic ("banned sending IP
 * [203.0.113.7]", trace-detail `{IP=…}`), else the sending IP the row carries.
 */
export function blockingIp(e: NormalizedEvent, c: Classification): string {
  return c.entities.ips[0] ?? e.from_ip ?? '';
}

export function toEventRow(e: NormalizedEvent, c: Classification, source: string, ingestedAtMs: number): EventRow {
  return {
    event_time: Math.floor(e.event_time_ms / 1000),
    tenant: e.tenant,
    schema: e.schema,
    natural_key: e.natural_key,
    message_key: messageKey(e),
    version: e.status_rank * VERSION_RANK_SHIFT + ingestedAtMs,
    status: e.status,
    terminal: e.terminal ? 1 : 0,
    bounce: isBounce(e, c) ? 1 : 0,
    direction: e.direction,
    sender: e.sender,
    recipient: e.recipient,
    sender_domain: e.sender_domain,
    recipient_domain: e.recipient_domain,
    ip: blockingIp(e, c),
    code: c.code ?? '',
    reply: c.reply ?? '',
    entry: c.entry ?? '',
    class: c.class,
    reason: c.reason,
    category: c.category,
    alert_tags: [...c.alert_tags],
    matched_by: c.matched_by,
    message_trace_id: e.message_trace_id ?? '',
    message_id: e.message_id ?? '',
    subject: (e.subject ?? '').slice(0, MAX_SUBJECT_CHARS),
    size_bytes: e.size_bytes ?? 0,
    diagnostic: (e.diagnostic ?? '').slice(0, MAX_DIAGNOSTIC_CHARS),
    source,
    ingested_at: Math.floor(ingestedAtMs / 1000),
  };
}

/**
 * Every input shape → one NormalizedEvent. Pure functions over already-validated rows; a row that is
 * valid but unusable (no tenant, a blank recipient after normalisation) comes back as Rejected.
 */
import { normalizeHost, textOrNull } from './fields/address.js';
import { detailFacts } from './fields/detail-text.js';
import { pickTenant } from './fields/envelope.js';
import { detailPhaseRank, dsnActionRank, isTerminal, toSnake, traceStatusRank } from './fields/status.js';
import { detailEventKey, ndrKey, traceRowKey } from './natural-key.js';
import { assemble, base, type Common, type NormalizeOptions, type NormalizeResult } from './normalize-common.js';
import * as mtV2 from './schemas/message-trace-v2.js';
import * as mtGraph from './schemas/message-trace-graph.js';
import * as tdV2 from './schemas/trace-detail-v2.js';
import * as tdGraph from './schemas/trace-detail-graph.js';
import * as ndrDsn from './schemas/ndr-dsn.js';

export type { NormalizeOptions, NormalizeResult } from './normalize-common.js';

/** Tenant fields in precedence order (see fields/envelope.ts). */
const PASCAL_TENANT = 'tenant, Organization, TenantId, tenantId';
const GRAPH_TENANT = 'tenant, TenantId, tenantId';

interface TraceRow {
  timeMs: number;
  messageTraceId: string;
  messageId: string | null | undefined;
  status: string;
  fromIp: string | null | undefined;
  toIp: string | null | undefined;
  size: number | null | undefined;
  subject: string | null | undefined;
}

function traceEvent(c: Common, r: TraceRow, version: number, opts?: NormalizeOptions): NormalizeResult {
  const b = base(c, opts);
  if ('ok' in b) return b;
  const status = toSnake(r.status);
  const event = assemble(b, {
    schema: 'message_trace',
    schema_version: version,
    event_time_ms: r.timeMs,
    message_trace_id: r.messageTraceId,
    message_id: textOrNull(r.messageId),
    status,
    terminal: isTerminal(status),
    from_ip: textOrNull(r.fromIp)?.trim() ?? null,
    to_ip: textOrNull(r.toIp)?.trim() ?? null,
    size_bytes: r.size ?? null,
    subject: textOrNull(r.subject),
    diagnostic: null,
    status_code: null,
    remote_mta: null,
    natural_key: traceRowKey(r.messageTraceId, b.recipient),
    status_rank: traceStatusRank(status),
  });
  return { ok: true, event };
}

export function normalizeMessageTraceV2(row: mtV2.Row, opts?: NormalizeOptions): NormalizeResult {
  const tenant = pickTenant(row.tenant, row.Organization, row.TenantId, row.tenantId);
  return traceEvent(
    {
      shape: mtV2.NAME,
      tenant,
      tenantFields: PASCAL_TENANT,
      sender: row.SenderAddress,
      recipient: row.RecipientAddress,
      direction: row.direction,
    },
    {
      timeMs: row.Received,
      messageTraceId: row.MessageTraceId,
      messageId: row.MessageId,
      status: row.Status,
      fromIp: row.FromIP,
      toIp: row.ToIP,
      size: row.Size,
      subject: row.Subject,
    },
    mtV2.VERSION,
    opts,
  );
}

export function normalizeMessageTraceGraph(row: mtGraph.Row, opts?: NormalizeOptions): NormalizeResult {
  const tenant = pickTenant(row.tenant, row.TenantId, row.tenantId);
  return traceEvent(
    {
      shape: mtGraph.NAME,
      tenant,
      tenantFields: GRAPH_TENANT,
      sender: row.senderAddress,
      recipient: row.recipientAddress,
      direction: row.direction,
    },
    {
      timeMs: row.receivedDateTime,
      messageTraceId: row.id,
      messageId: row.messageId,
      status: row.status,
      fromIp: row.fromIP,
      toIp: row.toIP,
      size: row.size,
      subject: row.subject,
    },
    mtGraph.VERSION,
    opts,
  );
}

interface DetailRow {
  timeMs: number;
  messageTraceId: string;
  messageId: string | null | undefined;
  event: string;
  text: string | null | undefined;
  data: string | null | undefined;
}

function detailEvent(c: Common, r: DetailRow, version: number, opts?: NormalizeOptions): NormalizeResult {
  const b = base(c, opts);
  if ('ok' in b) return b;
  const status = toSnake(r.event);
  const facts = detailFacts(r.text, r.data);
  const event = assemble(b, {
    schema: 'trace_detail',
    schema_version: version,
    event_time_ms: r.timeMs,
    message_trace_id: r.messageTraceId,
    message_id: textOrNull(r.messageId),
    status,
    terminal: isTerminal(status),
    from_ip: facts.fromIp,
    to_ip: facts.toIp,
    size_bytes: null,
    subject: null,
    diagnostic: textOrNull(r.text),
    status_code: facts.statusCode,
    remote_mta: facts.remoteMta,
    natural_key: detailEventKey(r.messageTraceId, b.recipient, status, r.timeMs),
    status_rank: detailPhaseRank(status),
  });
  return { ok: true, event };
}

export function normalizeTraceDetailV2(row: tdV2.Row, opts?: NormalizeOptions): NormalizeResult {
  const tenant = pickTenant(row.tenant, row.Organization, row.TenantId, row.tenantId);
  return detailEvent(
    {
      shape: tdV2.NAME,
      tenant,
      tenantFields: PASCAL_TENANT,
      sender: row.SenderAddress,
      recipient: row.RecipientAddress,
      direction: row.direction,
    },
    {
      timeMs: row.Date,
      messageTraceId: row.MessageTraceId,
      messageId: row.MessageId,
      event: row.Event,
      text: row.Detail,
      data: row.Data,
    },
    tdV2.VERSION,
    opts,
  );
}

export function normalizeTraceDetailGraph(row: tdGraph.Row, opts?: NormalizeOptions): NormalizeResult {
  const tenant = pickTenant(row.tenant, row.TenantId, row.tenantId);
  return detailEvent(
    {
      shape: tdGraph.NAME,
      tenant,
      tenantFields: GRAPH_TENANT,
      sender: row.senderAddress,
      recipient: row.recipientAddress,
      direction: row.direction,
    },
    {
      timeMs: row.dateTime,
      messageTraceId: row.id,
      messageId: row.messageId,
      event: row.event,
      text: row.description,
      data: row.data,
    },
    tdGraph.VERSION,
    opts,
  );
}

export function normalizeNdrDsn(row: ndrDsn.Row, opts?: NormalizeOptions): NormalizeResult {
  const b = base(
    {
      shape: ndrDsn.NAME,
      tenant: pickTenant(row.tenant),
      tenantFields: 'tenant',
      sender: row.original_sender,
      recipient: row.final_recipient,
      direction: row.direction,
    },
    opts,
  );
  if ('ok' in b) return b;
  const originalMessageId = textOrNull(row.original_message_id);
  const event = assemble(b, {
    schema: 'ndr',
    schema_version: ndrDsn.VERSION,
    // The superRefine guarantees one of the three dates.
    event_time_ms: row.last_attempt_date ?? row.ndr_date ?? row.arrival_date ?? 0,
    message_trace_id: row.original_network_message_id ?? null,
    message_id: originalMessageId,
    status: row.action,
    terminal: isTerminal(row.action),
    from_ip: null,
    to_ip: null,
    size_bytes: null,
    subject: textOrNull(row.original_subject),
    diagnostic: textOrNull(row.diagnostic_code),
    status_code: row.status,
    remote_mta: row.remote_mta ? normalizeHost(row.remote_mta) || null : null,
    natural_key: ndrKey({
      originalNetworkMessageId: row.original_network_message_id ?? null,
      originalMessageId,
      ndrMessageId: textOrNull(row.ndr_message_id),
      finalRecipient: b.recipient,
      action: row.action,
    }),
    status_rank: dsnActionRank(row.action),
  });
  return { ok: true, event };
}

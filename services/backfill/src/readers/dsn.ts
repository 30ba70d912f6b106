/**
 * An NDR e-mail (RFC 6522 multipart/report + RFC 3464 message/delivery-status) → ndr-dsn v1 records, one
 * per recipient block, the JSON shape @ndr/events accepts (packages/events/README.md, "ndr-dsn v1 fields").
 * MIME (boundaries, transfer encodings, RFC 2047 words, folded headers) is mailparser's job; only the
 * delivery-status body, which is header-style blocks, is split here (INPUT-FORMATS §5).
 *
 * Values are copied as they appear (the schema accepts `rfc822;`, `dns;` prefixes and RFC 5322 dates).
 * Tenant: the caller's (--tenant), else the initial domain of an Exchange sender
 * (`MicrosoftExchange…@contoso.onmicrosoft.com`), else X-MS-Exchange-CrossTenant-Id (a GUID), else none
 * (the row is then rejected as missing_tenant).
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { normalizeGuid, parseTimestamp } from '@ndr/events';
import type { BackfillRejectReason } from '../records.js';

export type DsnResult =
  { ok: true; records: Record<string, unknown>[] } | { ok: false; reason: BackfillRejectReason; detail: string };

type Fields = Map<string, string>;

/** Header-style lines (`Name: value`, folded continuation lines) → lower-case name → unfolded value. */
export function headerBlock(text: string): Fields {
  const out: Fields = new Map();
  let name: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && name !== null) {
      out.set(name, `${out.get(name) ?? ''} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      name = null;
      continue;
    }
    name = line.slice(0, colon).trim().toLowerCase();
    if (!out.has(name)) out.set(name, line.slice(colon + 1).trim());
  }
  return out;
}

/** message/delivery-status body → per-message fields and one map per recipient block. */
export function deliveryStatusBlocks(body: string): { message: Fields; recipients: Fields[] } {
  const blocks = body
    .replace(/\r\n/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((b) => b.trim())
    .filter((b) => b !== '')
    .map(headerBlock);
  const [first, ...rest] = blocks;
  // Some MTAs omit the per-message block: a first block with Final-Recipient is a recipient block.
  if (first !== undefined && first.has('final-recipient')) return { message: new Map(), recipients: blocks };
  return { message: first ?? new Map(), recipients: rest.filter((b) => b.has('final-recipient') || b.has('action')) };
}

/** The raw (unfolded) value of a top-level header, as written. */
function rawHeader(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name)?.line;
  if (line === undefined) return undefined;
  const v = line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
  return v === '' ? undefined : v;
}

function headerText(mail: ParsedMail, name: string): string | undefined {
  const v = mail.headers.get(name);
  if (typeof v === 'string') return v.trim() || undefined;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0].trim() || undefined;
  return rawHeader(mail, name);
}

function firstMessageId(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  return /<[^<>\s]+>/.exec(v)?.[0] ?? (v.trim() || undefined);
}

/** Dates as written when @ndr/events reads them; otherwise what Date.parse makes of them, as ISO. */
function dateText(v: string | undefined): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (parseTimestamp(v) !== null) return v;
  const ms = Date.parse(v.replace(/\s*\([^)]*\)\s*$/, ''));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : v;
}

const guid = (v: string | undefined) => (v === undefined ? undefined : (normalizeGuid(v.trim()) ?? undefined));

/** The headers of the bounced message: the message/rfc822 or text/rfc822-headers part. */
function originalHeaders(mail: ParsedMail): Fields {
  for (const a of mail.attachments) {
    const type = a.contentType.toLowerCase();
    if (type === 'message/rfc822' || type === 'text/rfc822-headers' || type === 'message/global-headers') {
      const text = a.content.toString('utf8');
      const end = text.search(/\r?\n\r?\n/);
      return headerBlock(end < 0 ? text : text.slice(0, end));
    }
  }
  return new Map();
}

/** Exchange's text part quotes the original headers ("Original Message Headers"); used when no part carries them. */
function quotedHeader(text: string | undefined, name: string): string | undefined {
  if (!text) return undefined;
  const m = new RegExp(`^${name}:[ \\t]*(.+)$`, 'im').exec(text);
  return m?.[1]?.trim();
}

const NETWORK_ID_HEADERS = [
  'x-ms-exchange-crosstenant-network-message-id',
  'x-ms-office365-filtering-correlation-id',
  'x-ms-exchange-organization-network-message-id',
];

function tenantOf(mail: ParsedMail, original: Fields, override: string | undefined): string | undefined {
  if (override) return override;
  for (const a of mail.from?.value ?? []) {
    const domain = a.address?.split('@')[1]?.toLowerCase();
    if (domain?.endsWith('.onmicrosoft.com')) return domain;
  }
  return headerText(mail, 'x-ms-exchange-crosstenant-id') ?? original.get('x-ms-exchange-crosstenant-id');
}

export interface DsnOptions {
  tenant?: string;
}

/** A parsed e-mail → ndr-dsn records, or why it is not one. */
export function dsnFromMail(mail: ParsedMail, opts: DsnOptions = {}): DsnResult {
  const status = mail.attachments.find((a) => /^message\/(global-)?delivery-status$/i.test(a.contentType));
  if (status === undefined) {
    const type = headerText(mail, 'content-type') ?? 'no Content-Type';
    return { ok: false, reason: 'not_a_dsn', detail: `no message/delivery-status part (${String(type).slice(0, 80)})` };
  }
  const { message, recipients } = deliveryStatusBlocks(status.content.toString('utf8'));
  if (recipients.length === 0) {
    return {
      ok: false,
      reason: 'no_recipient_blocks',
      detail: 'the delivery-status part has no Final-Recipient block',
    };
  }
  const original = originalHeaders(mail);
  let originalNmid: string | undefined;
  for (const h of NETWORK_ID_HEADERS) originalNmid ??= guid(original.get(h));
  for (const h of NETWORK_ID_HEADERS) originalNmid ??= guid(quotedHeader(mail.text, h));
  const references = headerText(mail, 'references');
  const perMessage = {
    schema_version: 1,
    tenant: tenantOf(mail, original, opts.tenant),
    ndr_message_id: firstMessageId(headerText(mail, 'message-id')),
    ndr_network_message_id: guid(headerText(mail, 'x-ms-exchange-organization-network-message-id')),
    ndr_date: dateText(rawHeader(mail, 'date')),
    original_sender: mail.to && !Array.isArray(mail.to) ? (mail.to.value[0]?.address ?? '') : '',
    original_message_id:
      firstMessageId(headerText(mail, 'in-reply-to')) ??
      firstMessageId(references) ??
      firstMessageId(original.get('message-id')),
    original_network_message_id: originalNmid,
    original_subject: headerText(mail, 'thread-topic') ?? original.get('subject'),
    reporting_mta: message.get('reporting-mta'),
    received_from_mta: message.get('received-from-mta'),
    arrival_date: dateText(message.get('arrival-date')),
  };
  const records = recipients.map((r) => {
    const out: Record<string, unknown> = {
      ...perMessage,
      final_recipient: r.get('final-recipient') ?? '',
      original_recipient: r.get('original-recipient'),
      action: r.get('action') ?? '',
      status: r.get('status') ?? '',
      diagnostic_code: r.get('diagnostic-code'),
      remote_mta: r.get('remote-mta'),
      last_attempt_date: dateText(r.get('last-attempt-date')),
      will_retry_until: dateText(r.get('will-retry-until')),
    };
    for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
    return out;
  });
  return { ok: true, records };
}

/** Parses one message's bytes with mailparser (delivery-status kept as a part, no HTML work). */
export async function parseMail(bytes: Buffer): Promise<ParsedMail> {
  return simpleParser(bytes, {
    keepDeliveryStatus: true,
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
    skipTextLinks: true,
  });
}

/**
 * The file formats a backfill reads, which topic kind (input family of @ndr/events) each feeds, and
 * detection from the content (extension only as a hint). INPUT-FORMATS §1, §2, §3, §5.
 */
import type { TopicKind } from '@ndr/events';

export const FORMATS = [
  'v2-csv',
  'v2-json',
  'graph-json',
  'historical-csv',
  'detail-csv',
  'detail-json',
  'ndr-json',
  'eml',
  'mbox',
] as const;
export type Format = (typeof FORMATS)[number];

export const FORMAT_KIND: Readonly<Record<Format, TopicKind>> = {
  'v2-csv': 'message_trace',
  'v2-json': 'message_trace',
  'graph-json': 'message_trace',
  'historical-csv': 'message_trace',
  'detail-csv': 'trace_detail',
  'detail-json': 'trace_detail',
  'ndr-json': 'ndr',
  eml: 'ndr',
  mbox: 'ndr',
};

export function isFormat(v: unknown): v is Format {
  return typeof v === 'string' && (FORMATS as readonly string[]).includes(v);
}

export type Encoding = 'utf8' | 'utf16le';

export interface TextHead {
  encoding: Encoding;
  /** Bytes of byte-order mark to skip. */
  bomBytes: number;
  /** The head decoded (may end inside a character or a line). */
  text: string;
}

/**
 * Encoding from the first bytes: a BOM, else UTF-16LE when the odd bytes of the first characters are
 * zero (historical search CSVs without a BOM, §3.1), else UTF-8. UTF-16BE (BOM FE FF) is refused.
 */
export function sniffEncoding(head: Uint8Array): { encoding: Encoding | 'utf16be'; bomBytes: number } {
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bomBytes: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf16be', bomBytes: 2 };
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', bomBytes: 3 };
  const n = Math.min(head.length - (head.length % 2), 64);
  if (n >= 4) {
    let zeroOdd = 0;
    let zeroEven = 0;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) zeroEven++;
      if (head[i + 1] === 0) zeroOdd++;
    }
    if (zeroOdd >= (n / 2) * 0.75 && zeroEven === 0) return { encoding: 'utf16le', bomBytes: 0 };
  }
  return { encoding: 'utf8', bomBytes: 0 };
}

const EXT_HINT: Record<string, Format> = {
  eml: 'eml',
  mbox: 'mbox',
  mbx: 'mbox',
};

function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** First CSV header line, lower-cased column names without quotes. */
function csvHeader(text: string): string[] {
  const lines = text.split(/\r?\n/, 3);
  const line = lines[0]?.startsWith('#TYPE') ? (lines[1] ?? '') : (lines[0] ?? '');
  return line.split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
}

const HEADER_NAME = /^[A-Za-z0-9-]+:/;

function looksLikeMail(text: string): boolean {
  const lines = text.split(/\r?\n/, 40);
  let headers = 0;
  for (const line of lines) {
    if (line === '') break;
    if (HEADER_NAME.test(line)) headers++;
    else if (!/^[ \t]/.test(line)) return false;
  }
  return headers >= 2 && /^(content-type|mime-version|received|from|return-path|message-id):/im.test(text);
}

/** Which JSON family: by the identifying field names of the first record (the same fields @ndr/events detects on). */
function jsonFormat(text: string): Format | null {
  // A key, not a value: `"Event":` (a subject that reads "Event" must not make a trace row a detail event).
  const has = (name: string) => new RegExp(`"${name}"\\s*:`).test(text);
  const graphPage = /"value"\s*:\s*\[/.test(text);
  if (has('final_recipient') || has('original_sender')) return 'ndr-json';
  if (has('MessageTraceId') || has('RecipientAddress') || has('Received')) {
    if (has('Event') || (has('Date') && !has('Received'))) return 'detail-json';
    return 'v2-json';
  }
  if (has('event') && (has('dateTime') || has('description'))) return 'detail-json';
  if (has('receivedDateTime') || has('recipientAddress') || graphPage) return 'graph-json';
  return null;
}

function csvFormat(header: readonly string[]): Format | null {
  const h = new Set(header);
  if (h.has('origin_timestamp_utc') && h.has('recipient_status')) return 'historical-csv';
  if (h.has('date_time_utc') && h.has('event_id')) return 'detail-csv';
  if (h.has('event') && h.has('date') && h.has('messagetraceid')) return 'detail-csv';
  if (h.has('messagetraceid') || (h.has('received') && h.has('recipientaddress'))) return 'v2-csv';
  if (h.has('receiveddatetime') && h.has('recipientaddress')) return 'v2-csv';
  return null;
}

/**
 * The format of a file from its first bytes (decoded) and, only when the content is not conclusive,
 * its extension. Null when neither says.
 */
export function detectFormat(head: TextHead, path: string): Format | null {
  const text = head.text.replace(/^\uFEFF/, '');
  const start = text.trimStart();
  const ext = extensionOf(path);
  if (/^From \S/.test(text) && looksLikeMail(text.slice(text.indexOf('\n') + 1))) return 'mbox';
  if (looksLikeMail(text)) return ext === 'mbox' ? 'mbox' : 'eml';
  if (start.startsWith('[') || start.startsWith('{')) return jsonFormat(start.slice(0, 16_384));
  const fromHeader = csvFormat(csvHeader(text));
  if (fromHeader !== null) return fromHeader;
  return EXT_HINT[ext] ?? null;
}

/**
 * CSV exports, streamed with papaparse (constant memory, one batch of records per 64 KiB chunk):
 *
 * - `v2-csv`: `Get-MessageTraceV2 | Export-Csv` (PascalCase columns; camelCase Graph columns work too).
 *   Columns are copied by name, so the row is exactly the JSON shape @ndr/events knows (§1).
 * - `historical-csv`: the Enhanced summary report (§3.2), one row per message. `recipient_status`
 *   (`addr##Receive, Deliver;addr2##Receive, Fail`) is expanded to one message-trace row per recipient.
 * - `detail-csv`: the Extended report (§3.3, tracking-log columns), one trace-detail event per row; or
 *   `Get-MessageTraceDetailV2 | Export-Csv` (PascalCase, copied by name).
 *
 * A Windows PowerShell `#TYPE …` first line is skipped. Rows with the wrong number of fields are rejected
 * (`column_count`); broken quoting (as strict as csv-parse was: RFC 4180 quoting only) is a corrupt file.
 */
import Papa from 'papaparse';
import { BackfillError } from '../errors.js';
import type { Format } from '../formats.js';
import type { SourceRecord } from '../records.js';
import { textChunks, type FileHead } from './text.js';

export interface CsvInput {
  path: string;
  head: FileHead;
  format: Extract<Format, 'v2-csv' | 'historical-csv' | 'detail-csv'>;
  onBytes: (n: number) => void;
}

type RowMapper = (fields: readonly string[], rowNo: number, line: number, out: SourceRecord[]) => void;

/** Required string columns: '' stays '' (a null reverse path); every other blank becomes null. */
const KEEP_BLANK = new Set(['SenderAddress', 'senderAddress']);
const NUMERIC = new Set(['Size', 'size']);
const DIGITS = /^\d+$/;

/** Columns copied by name: the CSV header is the JSON shape's field list. */
function byName(header: readonly string[]): RowMapper {
  const names = header.map((h) => h.trim());
  return (fields, rowNo, line, out) => {
    const value: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const f = fields[i] ?? '';
      if (f === '') value[name] = KEEP_BLANK.has(name) ? '' : null;
      else if (NUMERIC.has(name) && DIGITS.test(f)) value[name] = Number(f);
      else value[name] = f;
    }
    out.push({ value, rowNo, line, fields });
  };
}

function columnIndex(header: readonly string[], format: string) {
  const idx = new Map(header.map((h, i) => [h.trim().toLowerCase(), i]));
  return (name: string): number => {
    const i = idx.get(name);
    if (i === undefined) throw new BackfillError('corrupt_file', `${format}: the header has no "${name}" column`);
    return i;
  };
}

/** `Receive, Defer, Send` → the trace status the row ended with (§1.2, §3.2). */
export function historicalStatus(events: readonly string[]): string {
  const seen = new Set(events.map((e) => e.replace(/\s+/g, '').toLowerCase()));
  if (seen.has('fail')) return 'Failed';
  if (seen.has('deliver') || seen.has('send') || seen.has('sendexternal')) return 'Delivered';
  if (seen.has('expand')) return 'Expanded';
  if (seen.has('quarantine')) return 'Quarantined';
  if (seen.has('spam')) return 'FilteredAsSpam';
  if (seen.has('drop')) return 'None';
  return 'Pending';
}

/** A `;` starts a new recipient only when what follows looks like `addr##` (addresses may hold quoted text). */
const RECIPIENT_SPLIT = /;(?=[^;]*##)/;

/** `a@x##Receive, Deliver;b@y##Receive, Fail` → [{address, events}]. */
export function splitRecipientStatus(text: string): { address: string; events: string[] }[] {
  const out: { address: string; events: string[] }[] = [];
  for (const part of text.split(RECIPIENT_SPLIT)) {
    const at = part.lastIndexOf('##');
    const address = (at < 0 ? part : part.slice(0, at)).trim();
    if (address === '') continue;
    const events =
      at < 0
        ? []
        : part
            .slice(at + 2)
            .split(',')
            .map((e) => e.trim())
            .filter(Boolean);
    out.push({ address, events });
  }
  return out;
}

const orNull = (s: string | undefined) => (s === undefined || s === '' ? null : s);

function historical(header: readonly string[]): RowMapper {
  const col = columnIndex(header, 'historical-csv');
  const [time, sender, status, subject, bytes, mid, nmid, clientIp] = [
    col('origin_timestamp_utc'),
    col('sender_address'),
    col('recipient_status'),
    col('message_subject'),
    col('total_bytes'),
    col('message_id'),
    col('network_message_id'),
    col('original_client_ip'),
  ];
  return (fields, rowNo, line, out) => {
    const size = fields[bytes] ?? '';
    const recipients = splitRecipientStatus(fields[status] ?? '');
    // A row without any recipient still goes through @ndr/events, which rejects it with a reason.
    if (recipients.length === 0) recipients.push({ address: '', events: [] });
    for (const r of recipients) {
      out.push({
        value: {
          Received: fields[time] ?? '',
          SenderAddress: fields[sender] ?? '',
          RecipientAddress: r.address,
          Subject: orNull(fields[subject]),
          Status: historicalStatus(r.events),
          ToIP: null,
          FromIP: orNull(fields[clientIp]),
          Size: DIGITS.test(size) ? Number(size) : size === '' ? null : size,
          MessageId: orNull(fields[mid]),
          MessageTraceId: fields[nmid] ?? '',
        },
        rowNo,
        line,
        fields,
      });
    }
  };
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const LED_CODE = /LED=(\d{3})[ -]([245]\.\d{1,3}\.\d{1,3})/;

/**
 * One Extended-report row → a trace-detail-v2 event: the `[{LED=…}]` block becomes the `Reason: …` text
 * a detail event carries, the client IP of a RECEIVE and the LED's reply code become the `Data` MEPs the
 * normaliser reads (ClientIP, RecipientStatus), as Get-MessageTraceDetailV2 reports them.
 */
function extended(header: readonly string[]): RowMapper {
  const col = columnIndex(header, 'detail-csv');
  const [time, clientIp, eventId, mid, nmid, rcpt, rstatus, sender, tenantId] = [
    col('date_time_utc'),
    col('client_ip'),
    col('event_id'),
    col('message_id'),
    col('network_message_id'),
    col('recipient_address'),
    col('recipient_status'),
    col('sender_address'),
    col('tenant_id'),
  ];
  return (fields, rowNo, line, out) => {
    const event = fields[eventId] ?? '';
    const status = fields[rstatus] ?? '';
    const meps: string[] = [];
    const ip = fields[clientIp] ?? '';
    if (ip !== '' && event.toUpperCase() === 'RECEIVE') meps.push(`<MEP Name="ClientIP" String="${xml(ip)}" />`);
    const led = status.includes('LED=') ? LED_CODE.exec(status) : null;
    if (led) meps.push(`<MEP Name="RecipientStatus" String="${led[1]} ${led[2]}" />`);
    out.push({
      value: {
        Date: fields[time] ?? '',
        Event: event,
        Action: null,
        Detail: status === '' ? null : status.startsWith('[{LED=') ? `Reason: ${status}` : status,
        Data: meps.length === 0 ? null : `<root>${meps.join('')}</root>`,
        MessageTraceId: fields[nmid] ?? '',
        MessageId: orNull(fields[mid]),
        SenderAddress: orNull(fields[sender]),
        RecipientAddress: fields[rcpt] ?? '',
        TenantId: orNull(fields[tenantId]),
      },
      rowNo,
      line,
      fields,
    });
  };
}

function mapperFor(format: CsvInput['format'], header: readonly string[]): RowMapper {
  const lower = new Set(header.map((h) => h.trim().toLowerCase()));
  if (format === 'historical-csv') return historical(header);
  if (format === 'detail-csv' && lower.has('date_time_utc')) return extended(header);
  return byName(header);
}

interface PapaChunk {
  data: string[][];
  errors: { code: string; message: string; row?: number }[];
  meta: { cursor: number };
}

const COMMA = 44;
const QUOTE = 34;
const NEWLINE = 10;

function quotesIn(f: string): number {
  let n = 0;
  for (let i = f.indexOf('"'); i !== -1; i = f.indexOf('"', i + 1)) n++;
  return n;
}

/**
 * Where the row papaparse read from `text` at `pos` ends (after its '\n'), or -1 when the text is not
 * exactly the strict (RFC 4180) writing of those fields. papaparse accepts what csv-parse calls corrupt —
 * a quote inside an unquoted field, blanks between a closing quote and the next comma — so every row is
 * walked once against the text: a quoted field must be `"` + the field with its quotes doubled + `"`, an
 * unquoted one must hold no quote. This also tells an empty line (nothing between two '\n') from `""`.
 */
function rowEnd(text: string, pos: number, fields: readonly string[]): number {
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (i > 0) {
      if (text.charCodeAt(pos) !== COMMA) return -1;
      pos++;
    }
    if (text.charCodeAt(pos) === QUOTE) {
      pos += 1 + f.length + quotesIn(f);
      if (text.charCodeAt(pos) !== QUOTE) return -1;
      pos++;
    } else {
      if (f.includes('"')) return -1;
      pos += f.length;
    }
  }
  if (pos === text.length) return pos;
  return text.charCodeAt(pos) === NEWLINE ? pos + 1 : -1;
}

/**
 * Batches of records, one batch per decoded chunk (64 KiB of file), parsed with papaparse's low-level
 * parser: the text is decoded by a streaming decoder (a character split across chunks survives), CRLF
 * becomes LF (a '\r' ending a chunk waits for the next one), so files mixing CRLF and LF — concatenated
 * exports — read as csv-parse read them; a CRLF inside a quoted field is read as LF. The incomplete last
 * row of a chunk is carried into the next one; while one row spans several chunks it is parsed again
 * only once the text has doubled, so even a runaway quote costs linear time.
 */
export async function* readCsv(input: CsvInput): AsyncGenerator<SourceRecord[]> {
  let out: SourceRecord[] = [];
  let header: string[] | null = null;
  let map: RowMapper | null = null;
  let rowNo = 0;
  // Records are numbered (the data row, header excluded), which is what the checkpoint and the rejects file
  // use. `line` is then the physical line when no field holds a line break.
  const firstLine = input.head.text.startsWith('#TYPE') ? 2 : 1;
  let skipLine = firstLine === 2;
  const parser = new Papa.Parser({ delimiter: ',', newline: '\n', quoteChar: '"' });
  let pending = '';
  let parseAt = 0;
  let cr = false;

  const corrupt = (message: string) =>
    new BackfillError('corrupt_file', `${input.path}: ${message} (after record ${rowNo})`);

  const take = (fields: string[]) => {
    if (header === null) {
      header = fields;
      map = mapperFor(input.format, header);
      return;
    }
    rowNo++;
    const line = rowNo + firstLine;
    if (fields.length !== header.length) {
      out.push({
        value: null,
        rowNo,
        line,
        fields,
        reject: { reason: 'column_count', detail: `${fields.length} fields where the header has ${header.length}` },
      });
    } else map!(fields, rowNo, line, out);
  };

  /**
   * Parses the complete rows of `pending` (all of it when `last`), keeping the incomplete rest. On damage the
   * rows before it are still taken (they are kept, as with csv-parse) and the error is returned.
   */
  const parse = (last: boolean): BackfillError | null => {
    const text = pending;
    const result = parser.parse(text, 0, !last) as PapaChunk;
    const error = result.errors[0];
    const rows = result.data;
    const stop = error ? Math.min(error.row ?? 0, rows.length) : rows.length;
    let pos = 0;
    for (let i = 0; i < stop; i++) {
      const fields = rows[i]!;
      const end = rowEnd(text, pos, fields);
      if (end < 0)
        return corrupt('malformed quoting (a quote inside an unquoted field, or text after a closing quote)');
      const empty = end - pos <= 1 && fields.length === 1 && text.charCodeAt(pos) !== QUOTE;
      pos = end;
      if (!empty) take(fields);
    }
    if (error) return corrupt(`${error.message} (${error.code})`);
    if (pos !== (last ? text.length : result.meta.cursor)) return corrupt('malformed row');
    pending = text.slice(pos);
    parseAt = pos === 0 ? text.length * 2 : 0;
    return null;
  };

  for await (const chunk of textChunks(input.path, input.head, input.onBytes)) {
    let s: string = cr ? `\r${chunk}` : chunk;
    cr = s.endsWith('\r');
    if (cr) s = s.slice(0, -1);
    if (s.includes('\r\n')) s = s.replace(/\r\n/g, '\n');
    if (skipLine) {
      // Windows PowerShell's `#TYPE …` line.
      const nl = s.indexOf('\n');
      if (nl < 0) continue;
      s = s.slice(nl + 1);
      skipLine = false;
    }
    pending += s;
    if (pending.length < parseAt) continue;
    const failure = parse(false);
    if (out.length > 0) {
      yield out;
      out = [];
    }
    if (failure) throw failure;
  }
  if (cr && !skipLine) pending += '\r';
  const failure = skipLine ? null : parse(true);
  if (out.length > 0) yield out;
  if (failure) throw failure;
  if (header === null) throw new BackfillError('corrupt_file', `${input.path}: empty CSV (no header line)`);
}

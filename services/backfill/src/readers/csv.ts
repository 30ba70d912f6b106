/**
 * CSV exports, streamed with csv-parse (constant memory, one batch of records per 1 MiB chunk):
 *
 * - `v2-csv`: `Get-MessageTraceV2 | Export-Csv` (PascalCase columns; camelCase Graph columns work too).
 *   Columns are copied by name, so the row is exactly the JSON shape @ndr/events knows (§1).
 * - `historical-csv`: the Enhanced summary report (§3.2), one row per message. `recipient_status`
 *   (`addr##Receive, Deliver;addr2##Receive, Fail`) is expanded to one message-trace row per recipient.
 * - `detail-csv`: the Extended report (§3.3, tracking-log columns), one trace-detail event per row; or
 *   `Get-MessageTraceDetailV2 | Export-Csv` (PascalCase, copied by name).
 *
 * A Windows PowerShell `#TYPE …` first line is skipped. Rows with the wrong number of fields are rejected
 * (`column_count`); broken quoting is a corrupt file.
 */
import { parse } from 'csv-parse';
import { BackfillError } from '../errors.js';
import type { Format } from '../formats.js';
import type { SourceRecord } from '../records.js';
import { byteChunks, type FileHead } from './text.js';

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

/** Batches of records, one batch per decoded chunk. */
export async function* readCsv(input: CsvInput): AsyncGenerator<SourceRecord[]> {
  let out: SourceRecord[] = [];
  let header: string[] | null = null;
  let map: RowMapper | null = null;
  let rowNo = 0;
  let failure: Error | null = null;
  // Line numbers: csv-parse only tracks them per record through `info`/`on_record`, which cost ~15% of
  // its time; records are numbered instead (the data row, header excluded), which is what the checkpoint
  // and the rejects file use. `line` is then the physical line when no field holds a line break.
  const firstLine = input.head.text.startsWith('#TYPE') ? 2 : 1;
  const parser = parse({
    relax_column_count: true,
    skip_empty_lines: true,
    from_line: firstLine,
    // Exports use CRLF; hand-edited or concatenated files mix in LF.
    record_delimiter: ['\r\n', '\n'],
    // Raw file bytes go in (csv-parse decodes fields itself, UTF-16LE included): no decode/re-encode per chunk.
    encoding: input.head.encoding,
  });
  parser.on('error', (err: Error) => (failure ??= err));
  const take = () => {
    let fields: string[] | null;
    while ((fields = parser.read() as string[] | null) !== null) {
      if (header === null) {
        header = fields;
        map = mapperFor(input.format, header);
        continue;
      }
      rowNo++;
      const line = rowNo + firstLine;
      if (fields.length !== header.length) {
        out.push({
          value: null,
          rowNo,
          line,
          fields,
          reject: {
            reason: 'column_count',
            detail: `${fields.length} fields where the header has ${header.length}`,
          },
        });
      } else map!(fields, rowNo, line, out);
    }
  };
  const corrupt = (err: Error) =>
    err instanceof BackfillError
      ? err
      : new BackfillError('corrupt_file', `${input.path}: ${err.message} (after record ${rowNo})`, { cause: err });
  for await (const chunk of byteChunks(input.path, input.head, input.onBytes)) {
    parser.write(chunk);
    try {
      take();
    } catch (err) {
      failure ??= err as Error;
    }
    if (failure) throw corrupt(failure);
    if (out.length > 0) {
      yield out;
      out = [];
    }
  }
  if (failure === null) {
    await new Promise<void>((resolve) => {
      parser.once('end', resolve);
      parser.once('close', resolve);
      parser.once('error', () => resolve());
      parser.on('readable', () => {
        try {
          take();
        } catch (err) {
          failure ??= err as Error;
        }
      });
      parser.end();
    });
  }
  if (failure) throw corrupt(failure);
  if (out.length > 0) yield out;
  if (header === null) throw new BackfillError('corrupt_file', `${input.path}: empty CSV (no header line)`);
}

/**
 * @ndr/generator traffic written as the files an admin would export, so the backfill can be checked
 * against the generator's independent ground truth:
 *
 * - trace rows (V2 and Graph records) → one `Get-MessageTraceV2 | Export-Csv` file (PascalCase columns,
 *   plus the producer's `tenant` and `direction` columns, as a poller that wrote CSV would add);
 * - trace-detail events (V2 and Graph shapes) → one JSON object per line;
 * - NDRs (ndr-dsn JSON) → multipart/report e-mails in an mbox, rendered from the same fields.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createGenerator, type Expected, type GeneratorOptions } from '@ndr/generator';

const CSV_COLUMNS = [
  'Received',
  'SenderAddress',
  'RecipientAddress',
  'Subject',
  'Status',
  'ToIP',
  'FromIP',
  'Size',
  'MessageId',
  'MessageTraceId',
  'Organization',
  'tenant',
  'direction',
] as const;

type Row = Record<string, unknown>;

const cell = (v: unknown) => (v === null || v === undefined ? '""' : `"${String(v).replace(/"/g, '""')}"`);

/** A Graph row in the V2 columns (what converting a Graph export to the PowerShell layout gives). */
function v2Columns(r: Row): Row {
  if ('MessageTraceId' in r || 'Received' in r) return r;
  return {
    Received: r.receivedDateTime,
    SenderAddress: r.senderAddress,
    RecipientAddress: r.recipientAddress,
    Subject: r.subject,
    Status: r.status,
    ToIP: r.toIP,
    FromIP: r.fromIP,
    Size: r.size,
    MessageId: r.messageId,
    MessageTraceId: r.id,
    tenant: r.tenant,
    direction: r.direction,
  };
}

export function csvLine(r: Row): string {
  const v = v2Columns(r);
  return `${CSV_COLUMNS.map((c) => cell(v[c])).join(',')}\r\n`;
}

export const CSV_HEADER = `${CSV_COLUMNS.map((c) => `"${c}"`).join(',')}\r\n`;

const opt = (name: string, v: unknown) => (v === null || v === undefined || v === '' ? [] : [`${name}: ${String(v)}`]);

/** An ndr-dsn record as the multipart/report e-mail it was extracted from. */
export function renderDsn(n: Row): string {
  const tenant = String(n.tenant ?? 'unknown.onmicrosoft.com');
  const boundary = 'b0undary-ndr';
  const perMessage = [
    ...opt('Reporting-MTA', n.reporting_mta),
    ...opt('Received-From-MTA', n.received_from_mta),
    ...opt('Arrival-Date', n.arrival_date),
  ];
  const perRecipient = [
    ...opt('Final-Recipient', n.final_recipient),
    ...opt('Original-Recipient', n.original_recipient),
    ...opt('Action', n.action),
    ...opt('Status', n.status),
    ...opt('Diagnostic-Code', n.diagnostic_code),
    ...opt('Remote-MTA', n.remote_mta),
    ...opt('Last-Attempt-Date', n.last_attempt_date),
    ...opt('Will-Retry-Until', n.will_retry_until),
  ];
  const original = [
    ...opt('Message-ID', n.original_message_id),
    ...opt('X-MS-Exchange-CrossTenant-Network-Message-Id', n.original_network_message_id),
  ];
  return [
    `From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@${tenant}>`,
    `To: ${String(n.original_sender)}`,
    ...opt('Date', n.ndr_date),
    ...opt('Message-ID', n.ndr_message_id),
    ...opt('In-Reply-To', n.original_message_id),
    ...opt('Thread-Topic', n.original_subject),
    'Subject: Undeliverable',
    ...opt('X-MS-Exchange-Organization-Network-Message-Id', n.ndr_network_message_id),
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset="us-ascii"',
    '',
    'Delivery has failed to these recipients or groups.',
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    ...(perMessage.length > 0 ? [...perMessage, ''] : []),
    ...perRecipient,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    ...original,
    '',
    `--${boundary}--`,
    '',
  ].join('\n');
}

async function end(s: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

async function write(s: WriteStream, text: string): Promise<void> {
  if (!s.write(text)) await new Promise<void>((resolve) => s.once('drain', resolve));
}

export interface GeneratedExports {
  truth: Expected;
  files: { traceCsv: string; detailJson: string; ndrMbox: string };
  counts: { trace: number; detail: number; ndr: number };
  /** The trace rows' CSV lines (for overlapping exports). */
  traceLines: string[];
}

export async function writeGeneratedExports(dir: string, options: GeneratorOptions): Promise<GeneratedExports> {
  const gen = createGenerator({ malformed: 0, ...options });
  const files = {
    traceCsv: join(dir, 'message-trace.csv'),
    detailJson: join(dir, 'trace-detail.json'),
    ndrMbox: join(dir, 'ndrs.mbox'),
  };
  const trace = createWriteStream(files.traceCsv);
  const detail = createWriteStream(files.detailJson);
  const ndr = createWriteStream(files.ndrMbox);
  await write(trace, CSV_HEADER);
  const counts = { trace: 0, detail: 0, ndr: 0 };
  const traceLines: string[] = [];
  for (const rec of gen.records()) {
    const value = JSON.parse(rec.value.toString('utf8')) as Row;
    if (rec.topic === 'message_trace') {
      const line = csvLine(value);
      traceLines.push(line);
      await write(trace, line);
      counts.trace++;
    } else if (rec.topic === 'trace_detail') {
      await write(detail, `${JSON.stringify(value)}\n`);
      counts.detail++;
    } else {
      await write(ndr, `From MAILER-DAEMON Fri Nov 20 09:14:08 2026\n${renderDsn(value)}\n`);
      counts.ndr++;
    }
  }
  await Promise.all([end(trace), end(detail), end(ndr)]);
  return { truth: gen.expected(), files, counts, traceLines };
}

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeEvent, type NormalizedEvent } from '@ndr/events';
import {
  historicalStatus,
  normalizeRecord,
  readHead,
  readRecords,
  splitRecipientStatus,
  type SourceRecord,
} from '@ndr/backfill';
import { EVENTS_FIXTURES_DIR, fixture, readAll, sample, tempDir } from './helpers/files.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const TENANT = 'contoso.onmicrosoft.com';

/** Records through @ndr/events (as the backfill does), with the tenant a producer would set when asked to. */
function accept(kind: 'message_trace' | 'trace_detail' | 'ndr', records: SourceRecord[], tenant?: string) {
  return records.map((r) => {
    expect(r.reject, JSON.stringify(r.reject)).toBeUndefined();
    const value = tenant ? { ...r.value!, tenant } : r.value!;
    const n = normalizeRecord(kind, value);
    if (!n.ok) throw new Error(`${n.reason}: ${n.detail}`);
    return n.event;
  });
}

const DMARC_MTID = '9b8e1c22-4d5f-4e6a-2a31-08de27a19c42';

describe('JSON readers', () => {
  it('reads the Get-MessageTraceV2 array: 10 rows, tenant from Organization', async () => {
    const { format, records } = await readAll(sample('message-trace-v2.sample.json'));
    expect(format).toBe('v2-json');
    const events = accept('message_trace', records);
    expect(events).toHaveLength(10);
    expect(records.map((r) => r.rowNo)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(events.find((e) => e.message_trace_id === DMARC_MTID)?.natural_key).toBe(`mt|${DMARC_MTID}|ap@fabrikam.com`);
  });

  it('reads a Graph page (value[] with @odata.nextLink) with the same natural key as V2', async () => {
    const { format, records } = await readAll(sample('message-trace-graph.sample.json'));
    expect(format).toBe('graph-json');
    const events = accept('message_trace', records, TENANT);
    expect(events.map((e) => e.status)).toEqual(['getting_status', 'pending', 'failed']);
    expect(events[2]!.natural_key).toBe(`mt|${DMARC_MTID}|ap@fabrikam.com`);
  });

  it('reads trace-detail JSON: 10 events, the Fail event keeps its reason text', async () => {
    const { format, records } = await readAll(sample('message-trace-detail.sample.json'));
    expect(format).toBe('detail-json');
    const events = accept('trace_detail', records);
    expect(events).toHaveLength(10);
    const fail = events.find((e) => e.message_trace_id === DMARC_MTID && e.status === 'fail')!;
    expect(fail.diagnostic).toContain('5.7.509');
  });

  it('reads one object per line, rejecting only the broken line', async () => {
    const rows = JSON.parse(readFileSync(sample('message-trace-v2.sample.json'), 'utf8')) as object[];
    const p = join(tmp.dir, 'v2.ndjson');
    writeFileSync(p, [JSON.stringify(rows[0]), '{"Received": "2026-', JSON.stringify(rows[1]), ''].join('\n'));
    const { format, records } = await readAll(p);
    expect(format).toBe('v2-json');
    expect(records.map((r) => [r.rowNo, r.line, r.reject?.reason ?? 'ok'])).toEqual([
      [1, 1, 'ok'],
      [2, 2, 'invalid_json'],
      [3, 3, 'ok'],
    ]);
    expect(records[1]!.raw).toBe('{"Received": "2026-');
  });

  it('streams several Graph pages and an OData page', async () => {
    const page = JSON.parse(readFileSync(sample('message-trace-graph.sample.json'), 'utf8')) as { value: object[] };
    const p = join(tmp.dir, 'pages.json');
    writeFileSync(p, `${JSON.stringify(page, null, 2)}\n${JSON.stringify({ d: { results: page.value } }, null, 2)}\n`);
    const { records } = await readAll(p, 'graph-json');
    expect(records).toHaveLength(6);
    expect(records.every((r) => r.value !== null)).toBe(true);
  });

  it('reports a truncated file as corrupt, naming where', async () => {
    const text = readFileSync(sample('message-trace-v2.sample.json'), 'utf8');
    const p = join(tmp.dir, 'truncated.json');
    writeFileSync(p, text.slice(0, Math.floor(text.length * 0.6)));
    await expect(readAll(p)).rejects.toMatchObject({
      code: 'corrupt_file',
      message: expect.stringMatching(/after record \d/),
    });
  });
});

describe('historical search CSV', () => {
  const expectedRecipients = [
    'ap@fabrikam.com',
    'accounts@northwind.example',
    'payables@example.org',
    'billing@contoso.com',
    'alice@contoso.com',
    'bob@contoso.com',
    'former.employee@contoso.com',
    'orders@example.com',
    'heidi@contoso.com',
    'nobody@example.org',
    'site.lead@example.org',
    'all-staff@contoso.com',
    'alice@contoso.com',
    'bob@contoso.com',
  ];

  it.each([
    ['UTF-8', 'historical-search.sample.csv'],
    ['UTF-16LE with BOM', 'historical-search.sample.utf16le.csv'],
  ])('expands multi-recipient rows, one row per recipient (%s)', async (_enc, file) => {
    const { format, records } = await readAll(sample(file));
    expect(format).toBe('historical-csv');
    const events = accept('message_trace', records, TENANT);
    expect(events.map((e) => e.recipient)).toEqual(expectedRecipients);
    // 10 CSV rows; the expanded recipients share their row number (the checkpoint unit).
    expect(records.map((r) => r.rowNo)).toEqual([1, 2, 3, 4, 5, 5, 6, 7, 8, 9, 9, 10, 10, 10]);
    expect(events.map((e) => e.status).slice(0, 4)).toEqual(['failed', 'failed', 'delivered', 'delivered']);
    expect(events[9]!.status).toBe('failed');
    expect(events[10]!.status).toBe('delivered');
    expect(events[11]!.status).toBe('expanded');
    expect(events[8]!.subject).toBe('Shipment 7644 "priority", dock 3');
  });

  it('reads UTF-16LE without a BOM the same way', async () => {
    const p = join(tmp.dir, 'nobom.csv');
    writeFileSync(p, readFileSync(sample('historical-search.sample.utf16le.csv')).subarray(2));
    const withBom = await readAll(sample('historical-search.sample.utf16le.csv'));
    const without = await readAll(p);
    expect(without.format).toBe('historical-csv');
    expect(without.records.map((r) => r.value)).toEqual(withBom.records.map((r) => r.value));
  });

  it('maps the event list to the final status', () => {
    expect(historicalStatus(['Receive', 'Defer', 'Send'])).toBe('Delivered');
    expect(historicalStatus(['Receive', 'Fail'])).toBe('Failed');
    expect(historicalStatus(['Receive', 'Defer'])).toBe('Pending');
    expect(historicalStatus(['Receive', 'Expand'])).toBe('Expanded');
  });

  it('splits recipient_status only before something that looks like addr##', () => {
    expect(splitRecipientStatus('"Name<x"@contoso.com##Receive, Deliver;b@x.org##Receive, Fail')).toEqual([
      { address: '"Name<x"@contoso.com', events: ['Receive', 'Deliver'] },
      { address: 'b@x.org', events: ['Receive', 'Fail'] },
    ]);
  });

  it('rejects a row with the wrong number of fields and goes on', async () => {
    const lines = readFileSync(sample('historical-search.sample.csv'), 'utf8').split('\n');
    const p = join(tmp.dir, 'short-row.csv');
    writeFileSync(p, [lines[0], lines[1], '"2026-09-02T07:45:12Z","x@contoso.com"', lines[2], ''].join('\n'));
    const { records } = await readAll(p);
    expect(records.map((r) => r.reject?.reason ?? 'ok')).toEqual(['ok', 'column_count', 'ok']);
    expect(records[1]!.rowNo).toBe(2);
  });

  it('reads a file mixing CRLF and LF line endings (concatenated exports) like a CRLF one', async () => {
    const text = readFileSync(sample('historical-search.sample.csv'), 'utf8');
    const [header, ...rows] = text.split('\r\n').filter(Boolean);
    const p = join(tmp.dir, 'mixed.csv');
    writeFileSync(p, `${header}\r\n${rows.slice(0, 5).join('\r\n')}\r\n\n${rows.slice(5).join('\n')}\n`);
    const strip = (rs: SourceRecord[]) => rs.map(({ value, rowNo, line, reject }) => ({ value, rowNo, line, reject }));
    expect(strip((await readAll(p)).records)).toEqual(
      strip((await readAll(sample('historical-search.sample.csv'))).records),
    );
  });

  it.each([
    ['a quote inside an unquoted field', (row: string) => row.replace('"Originating"', 'Origin"ating')],
    ['blanks after a closing quote', (row: string) => row.replace('"Originating",', '"Originating" ,')],
  ])('reports %s as a corrupt file, keeping the rows before it', async (_, damage) => {
    const [header, ...rows] = readFileSync(sample('historical-search.sample.csv'), 'utf8').split('\r\n');
    const p = join(tmp.dir, 'damaged.csv');
    writeFileSync(p, [header, rows[0], damage(rows[1]!), rows[2], ''].join('\r\n'));
    const kept: SourceRecord[] = [];
    const error = await (async () => {
      try {
        const input = { path: p, head: await readHead(p), format: 'historical-csv' as const, onBytes: () => undefined };
        for await (const batch of readRecords(input)) kept.push(...batch);
      } catch (err) {
        return err;
      }
    })();
    expect(error).toMatchObject({ code: 'corrupt_file' });
    expect(kept.map((r) => r.rowNo)).toEqual([1]);
  });

  it('reports broken quoting as a corrupt file', async () => {
    const p = join(tmp.dir, 'broken.csv');
    writeFileSync(p, `${readFileSync(sample('historical-search.sample.csv'), 'utf8')}"2026-09-02,"unterminated\n`);
    await expect(readAll(p)).rejects.toMatchObject({ code: 'corrupt_file' });
  });
});

describe('detail CSV (Extended report)', () => {
  it('turns each tracking-log row into a trace-detail event with the reply and remote host', async () => {
    const { format, records } = await readAll(sample('historical-search-detail.sample.csv'));
    expect(format).toBe('detail-csv');
    const events = accept('trace_detail', records, TENANT);
    expect(events).toHaveLength(7);
    const fail = events.find((e) => e.status === 'fail')!;
    expect(fail.natural_key).toBe(`td|${DMARC_MTID}|ap@fabrikam.com|fail|2026-11-20T09:14:07Z`);
    expect(fail.status_code).toBe('5.7.509');
    expect(fail.remote_mta).toBe('fabrikam-com.mail.protection.outlook.com');
    expect(fail.to_ip).toBe('203.0.113.5');
    expect(events.find((e) => e.status === 'receive')!.from_ip).toBe('192.0.2.44');
  });

  it('gives the same natural key as the Get-MessageTraceDetailV2 event for the same failure', async () => {
    const csv = accept('trace_detail', (await readAll(sample('historical-search-detail.sample.csv'))).records, TENANT);
    const json = accept('trace_detail', (await readAll(sample('message-trace-detail.sample.json'))).records);
    const key = (es: NormalizedEvent[]) =>
      es.find((e) => e.status === 'fail' && e.message_trace_id === DMARC_MTID)!.natural_key;
    expect(key(csv)).toBe(key(json));
  });
});

describe('NDR e-mails', () => {
  const viaDecoder = (file: string) => {
    const r = decodeEvent('ndr', readFileSync(join(EVENTS_FIXTURES_DIR, file)));
    if (!r.ok) throw new Error(r.detail);
    return r.event;
  };

  it.each([
    ['ndr-exo-5.7.509.eml', 'ndr-dsn-exo-5.7.509.json', undefined],
    ['dsn-sendmail-5.2.2.eml', 'ndr-dsn-sendmail-5.2.2.json', TENANT],
  ])('parses %s into the event the ndr-dsn fixture gives', async (eml, json, tenant) => {
    const { format, records } = await readAll(fixture(eml));
    expect(format).toBe('eml');
    expect(records).toHaveLength(1);
    const [event] = accept('ndr', records, tenant);
    expect(event).toEqual(viaDecoder(json));
  });

  it('takes the tenant from the Exchange sender, else from X-MS-Exchange-CrossTenant-Id', async () => {
    const exo = await readAll(fixture('ndr-exo-5.7.509.eml'));
    expect(exo.records[0]!.value!.tenant).toBe('contoso.onmicrosoft.com');
    const sendmail = await readAll(fixture('dsn-sendmail-5.2.2.eml'));
    expect(sendmail.records[0]!.value!.tenant).toBe('3f0e2c1a-9b8d-4e7f-a6c5-2d1e0f9a8b7c');
  });

  it('splits an mbox into its messages', async () => {
    const { format, records } = await readAll(sample('ndr-dsn.sample.txt'));
    expect(format).toBe('mbox');
    expect(records.map((r) => [r.rowNo, r.line])).toEqual([
      [1, 1],
      [2, 167],
    ]);
    const events = accept('ndr', records, TENANT);
    expect(events.map((e) => [e.status_code, e.recipient])).toEqual([
      ['5.7.509', 'ap@fabrikam.com'],
      ['5.2.2', 'site.lead@example.org'],
    ]);
  });

  it('rejects an e-mail that is not a delivery report', async () => {
    const p = join(tmp.dir, 'hello.eml');
    writeFileSync(
      p,
      'From: a@contoso.com\nTo: b@contoso.com\nSubject: hi\nMIME-Version: 1.0\nContent-Type: text/plain\n\nhello\n',
    );
    const { records } = await readAll(p, 'eml');
    expect(records[0]!.reject?.reason).toBe('not_a_dsn');
  });
});

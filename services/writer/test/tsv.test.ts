import { describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, eventRowTsv, tsvString, tsvStringArray } from '../src/tsv.js';
import type { EventRow } from '../src/rows.js';

const row: EventRow = {
  event_time: 1_795_161_613,
  tenant: 'contoso.onmicrosoft.com',
  schema: 'ndr',
  natural_key: 'ndr|<a@b>|ap@fabrikam.com',
  message_key: '<a@b>|ap@fabrikam.com',
  version: 3 * 2 ** 42 + 1_795_161_700_123,
  status: 'failed',
  terminal: 1,
  bounce: 1,
  direction: 'outbound',
  sender: 'billing@contoso.com',
  recipient: 'ap@fabrikam.com',
  sender_domain: 'contoso.com',
  recipient_domain: 'fabrikam.com',
  ip: '203.0.113.10',
  code: '5.7.509',
  reply: '550',
  entry: 'exo.5.7.509',
  class: 'permanent',
  reason: 'auth_failure',
  category: 'authentication',
  alert_tags: ['dmarc_failure'],
  matched_by: 'exact_code',
  message_trace_id: '',
  message_id: '<a@b>',
  subject: 'Invoice',
  size_bytes: 7716,
  diagnostic: '550 5.7.509 Access denied',
  source: 'kafka:exo.ndr/0/42',
  ingested_at: 1_795_161_700,
};

/** ClickHouse's TSV unescaping, written independently of the encoder. */
function unescape(s: string): string {
  const map: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r', '0': '\0', "'": "'" };
  return s.replace(/\\(.)/g, (_, c: string) => map[c] ?? c);
}

describe('tsvString', () => {
  it('leaves ordinary text alone', () => {
    expect(tsvString('550 5.7.509 Access denied, sending domain [contoso.com]')).toBe(
      '550 5.7.509 Access denied, sending domain [contoso.com]',
    );
    expect(tsvString('O\'Brien "quoted" ; DROP TABLE events --')).toBe('O\'Brien "quoted" ; DROP TABLE events --');
  });

  it('escapes every character that would end a field or a row', () => {
    const hostile = 'a\tb\nc\rd\\e\0f';
    const out = tsvString(hostile);
    expect(out).toBe('a\\tb\\nc\\rd\\\\e\\0f');
    expect(out).not.toMatch(/[\t\n\r\0]/);
    expect(unescape(out)).toBe(hostile);
  });

  it('keeps non-ASCII text as is', () => {
    expect(tsvString('Mottakeren finnes ikke – ærlig 📧')).toBe('Mottakeren finnes ikke – ærlig 📧');
  });
});

describe('tsvStringArray', () => {
  it('writes quoted elements with quotes and control characters escaped', () => {
    expect(tsvStringArray([])).toBe('[]');
    expect(tsvStringArray(['blocked_ip', 'dmarc_failure'])).toBe("['blocked_ip','dmarc_failure']");
    const out = tsvStringArray(["it's", 'a\tb', 'back\\slash', 'new\nline']);
    expect(out).toBe("['it\\'s','a\\tb','back\\\\slash','new\\nline']");
    expect(out).not.toMatch(/[\t\n]/);
  });
});

describe('eventRowTsv', () => {
  it('writes every column once, in EVENT_COLUMNS order, newline-terminated', () => {
    const line = eventRowTsv(row);
    expect(line.endsWith('\n')).toBe(true);
    const fields = line.slice(0, -1).split('\t');
    expect(fields).toHaveLength(EVENT_COLUMNS.length);
    EVENT_COLUMNS.forEach((col, i) => {
      const v = row[col];
      const expected = Array.isArray(v) ? `[${v.map((x) => `'${x}'`).join(',')}]` : String(v);
      expect(fields[i], col).toBe(expected);
    });
  });

  it('lists every EventRow field (a new field must be encoded too)', () => {
    expect([...EVENT_COLUMNS].sort()).toEqual(Object.keys(row).sort());
  });

  it('keeps a hostile value inside its own field', () => {
    const line = eventRowTsv({ ...row, subject: 'x\ty\nz', diagnostic: '\\\t\n' });
    const fields = line.slice(0, -1).split('\t');
    expect(fields).toHaveLength(EVENT_COLUMNS.length);
    expect(unescape(fields[EVENT_COLUMNS.indexOf('subject')]!)).toBe('x\ty\nz');
    expect(unescape(fields[EVENT_COLUMNS.indexOf('diagnostic')]!)).toBe('\\\t\n');
  });
});

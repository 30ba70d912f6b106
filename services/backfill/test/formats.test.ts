import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat, readHead, sniffEncoding } from '@ndr/backfill';
import { EVENTS_FIXTURES_DIR, fixture, sample, tempDir } from './helpers/files.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function formatOf(path: string) {
  return detectFormat(await readHead(path), path);
}

describe('format detection from content', () => {
  it.each([
    ['message-trace-v2.sample.json', 'v2-json'],
    ['message-trace-graph.sample.json', 'graph-json'],
    ['message-trace-detail.sample.json', 'detail-json'],
    ['historical-search.sample.csv', 'historical-csv'],
    ['historical-search.sample.utf16le.csv', 'historical-csv'],
    ['historical-search-detail.sample.csv', 'detail-csv'],
    ['ndr-dsn.sample.txt', 'mbox'],
  ])('recognises %s as %s', async (file, format) => {
    expect(await formatOf(sample(file))).toBe(format);
  });

  it('recognises single e-mails as eml', async () => {
    expect(await formatOf(fixture('ndr-exo-5.7.509.eml'))).toBe('eml');
    expect(await formatOf(fixture('dsn-sendmail-5.2.2.eml'))).toBe('eml');
  });

  it('goes by content, not by a misleading extension', async () => {
    const p = join(tmp.dir, 'looks-like.json');
    copyFileSync(sample('historical-search.sample.csv'), p);
    expect(await formatOf(p)).toBe('historical-csv');
    const q = join(tmp.dir, 'export.csv');
    copyFileSync(sample('message-trace-v2.sample.json'), q);
    expect(await formatOf(q)).toBe('v2-json');
  });

  it('recognises V2 CSV (Export-Csv, with the #TYPE line of Windows PowerShell) and NDJSON of NDRs', async () => {
    const csv = join(tmp.dir, 'v2.csv');
    writeFileSync(
      csv,
      '#TYPE Deserialized.Microsoft.Exchange\n"Received","SenderAddress","RecipientAddress","Status","MessageTraceId"\n',
    );
    expect(await formatOf(csv)).toBe('v2-csv');
    const ndr = join(tmp.dir, 'ndr.ndjson');
    const line = JSON.stringify(
      JSON.parse(readFileSync(join(EVENTS_FIXTURES_DIR, 'ndr-dsn-exo-5.7.509.json'), 'utf8')),
    );
    writeFileSync(ndr, `${line}\n${line}\n`);
    expect(await formatOf(ndr)).toBe('ndr-json');
  });

  it('gives up on text it does not know (the caller reports the file)', async () => {
    expect(await formatOf(sample('INPUT-FORMATS.md'))).toBeNull();
    expect(await formatOf(sample('defender-emailevents.sample.json'))).toBeNull();
  });

  it('uses the extension only when the content says nothing', async () => {
    const p = join(tmp.dir, 'empty.mbox');
    writeFileSync(p, '');
    expect(await formatOf(p)).toBe('mbox');
  });
});

describe('encoding', () => {
  it('detects UTF-16LE by BOM and without one, and UTF-8 with or without BOM', () => {
    const text = '"origin_timestamp_utc","sender_address"';
    const le = Buffer.from(text, 'utf16le');
    expect(sniffEncoding(Buffer.concat([Buffer.from([0xff, 0xfe]), le]))).toEqual({ encoding: 'utf16le', bomBytes: 2 });
    expect(sniffEncoding(le)).toEqual({ encoding: 'utf16le', bomBytes: 0 });
    expect(sniffEncoding(Buffer.from(text))).toEqual({ encoding: 'utf8', bomBytes: 0 });
    expect(sniffEncoding(Buffer.from(`\uFEFF${text}`))).toEqual({ encoding: 'utf8', bomBytes: 3 });
    expect(sniffEncoding(Buffer.from([0xfe, 0xff, 0, 0x22])).encoding).toBe('utf16be');
  });

  it('refuses UTF-16BE files with a message that says what to do', async () => {
    const p = join(tmp.dir, 'be.csv');
    writeFileSync(p, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('"a"', 'utf16le').swap16()]));
    await expect(readHead(p)).rejects.toThrow(/UTF-16BE is not supported/);
  });
});

describe('JSON detection goes by keys, not values', () => {
  it('keeps a trace row whose subject is "Event" a trace row', async () => {
    const p = join(tmp.dir, 'subject-event.json');
    writeFileSync(
      p,
      JSON.stringify([
        {
          Received: '2026-11-20T09:00:00',
          Subject: 'Event',
          RecipientAddress: 'a@x.org',
          MessageTraceId: '9b8e1c22-4d5f-4e6a-2a31-08de27a19c42',
        },
      ]),
    );
    expect(await formatOf(p)).toBe('v2-json');
  });
});

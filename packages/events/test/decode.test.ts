import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createDecoder,
  decodeEvent,
  DEFAULT_MAX_BYTES,
  EXAMPLES,
  REJECT_REASONS,
  TOPIC_KINDS,
  type DecodeResult,
} from '@ndr/events';
import { bytes, sampleJson, type Row } from './helpers/samples.js';

const v2Row = sampleJson<Row[]>('message-trace-v2.sample.json')[8]!; // the 5.7.509 row
const reasonOf = (r: DecodeResult) => (r.ok ? 'ok' : r.reason);

describe('decodeEvent rejects garbage without throwing', () => {
  it('returns a closed reason for 2,000 random byte strings on every topic', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const kind = TOPIC_KINDS[i % TOPIC_KINDS.length]!;
      const r = decodeEvent(kind, randomBytes(1 + (i % 300)));
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(REJECT_REASONS).toContain(r.reason);
        expect(r.detail.length).toBeLessThanOrEqual(500);
        seen.add(r.reason);
      }
    }
    expect(seen.has('internal_error')).toBe(false);
  });

  it('rejects every truncation of a valid row as invalid_json', () => {
    const text = JSON.stringify(v2Row);
    for (let n = 1; n < text.length; n++)
      expect(reasonOf(decodeEvent('message_trace', bytes(text.slice(0, n))))).toBe('invalid_json');
  });

  it.each([
    ['empty', Buffer.alloc(0), 'empty_payload'],
    ['null (tombstone)', null, 'empty_payload'],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 'invalid_encoding'],
    ['UTF-16BE', Buffer.from([0xfe, 0xff, 0x00, 0x7b]), 'invalid_encoding'],
    ['a number', bytes('42'), 'not_an_object'],
    ['a string', bytes('"Failed"'), 'not_an_object'],
    ['JSON null', bytes('null'), 'not_an_object'],
    ['an array of rows', bytes([v2Row, v2Row]), 'batch_envelope'],
    ['a Graph page', bytes(sampleJson('message-trace-graph.sample.json')), 'batch_envelope'],
    ['an Event Hubs batch', bytes({ records: [v2Row] }), 'batch_envelope'],
    ['an OData v2 page', bytes({ d: { results: [v2Row] } }), 'batch_envelope'],
    ['an unrelated object', bytes({ hello: 'world' }), 'unknown_shape'],
    ['an empty object', bytes({}), 'unknown_shape'],
    ['deeply nested arrays', bytes('['.repeat(200_000) + ']'.repeat(200_000)), 'batch_envelope'],
  ])('%s → %s', (_name, input, reason) => {
    expect(reasonOf(decodeEvent('message_trace', input))).toBe(reason);
  });

  it('rejects a 2 MB payload as oversize before parsing it, and honours a configured limit', () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    big.write(JSON.stringify(v2Row));
    const r = decodeEvent('message_trace', big);
    expect(r).toMatchObject({ ok: false, reason: 'oversize' });
    expect(!r.ok && r.detail).toContain(`${DEFAULT_MAX_BYTES}-byte limit`);
    const small = createDecoder({ maxBytes: 100 });
    expect(reasonOf(small.decode('message_trace', bytes(v2Row)))).toBe('oversize');
    expect(reasonOf(createDecoder({ maxBytes: 10_000 }).decode('message_trace', bytes(v2Row)))).toBe('ok');
  });

  it('refuses invalid decoder options at construction', () => {
    expect(() => createDecoder({ maxBytes: 0 })).toThrow(/maxBytes must be a positive integer/);
    expect(() => createDecoder({ maxBytes: Number.NaN })).toThrow(RangeError);
  });

  it('rejects an unknown topic kind instead of throwing', () => {
    expect(reasonOf(decodeEvent('bounces' as never, bytes(v2Row)))).toBe('unknown_topic');
  });

  it('rejects wrong types on the right topic as schema_mismatch with the field path', () => {
    const r = decodeEvent('message_trace', bytes({ ...v2Row, Size: 'large', Received: false }));
    expect(r).toMatchObject({ ok: false, reason: 'schema_mismatch' });
    expect(!r.ok && r.detail).toMatch(/^message-trace-v2: Received: .*; Size: /);
  });

  it('does not take a row from another topic', () => {
    expect(reasonOf(decodeEvent('ndr', bytes(v2Row)))).toBe('unknown_shape');
    expect(reasonOf(decodeEvent('trace_detail', bytes(EXAMPLES['ndr-dsn'])))).toBe('unknown_shape');
  });
});

describe('decodeEvent accepts what producers really send', () => {
  it('decodes each shape example on its topic', () => {
    const topic = {
      'message-trace-v2': 'message_trace',
      'message-trace-graph': 'message_trace',
      'trace-detail-v2': 'trace_detail',
      'trace-detail-graph': 'trace_detail',
      'ndr-dsn': 'ndr',
    } as const;
    for (const [shape, example] of Object.entries(EXAMPLES)) {
      const r = decodeEvent(topic[shape as keyof typeof topic], bytes(example));
      expect(r.ok, `${shape}: ${r.ok ? '' : r.detail}`).toBe(true);
    }
  });

  it('auto-detects V2 and Graph rows on the message-trace topic', () => {
    const v2 = decodeEvent('message_trace', bytes(EXAMPLES['message-trace-v2']));
    const graph = decodeEvent('message_trace', bytes(EXAMPLES['message-trace-graph']));
    expect(v2.ok && graph.ok && v2.event.natural_key === graph.event.natural_key).toBe(true);
  });

  it('accepts a UTF-8 BOM and UTF-16LE (Windows PowerShell Out-File) with or without BOM', () => {
    const json = JSON.stringify(v2Row);
    const utf16 = Buffer.from(json, 'utf16le');
    for (const payload of [
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]),
      Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]),
      utf16,
    ]) {
      expect(reasonOf(decodeEvent('message_trace', payload))).toBe('ok');
    }
  });

  it('accepts a Uint8Array as well as a Buffer', () => {
    expect(reasonOf(decodeEvent('message_trace', new Uint8Array(bytes(v2Row))))).toBe('ok');
  });

  it('keeps non-ASCII subjects intact', () => {
    const r = decodeEvent('message_trace', bytes({ ...v2Row, Subject: 'Unzustellbar: Größe – 請求書 📎' }));
    expect(r.ok && r.event.subject).toBe('Unzustellbar: Größe – 請求書 📎');
  });

  it('uses configured tenant domains for direction', () => {
    const d = createDecoder({ tenantDomains: new Map([['Contoso.onmicrosoft.com', ['FABRIKAM.com']]]) });
    const r = d.decode('message_trace', bytes(v2Row)); // billing@contoso.com → ap@fabrikam.com
    expect(r.ok && r.event.direction).toBe('inbound');
  });
});

import { describe, expect, it } from 'vitest';
import type { Classification } from '@ndr/classifier';
import type { NormalizedEvent } from '@ndr/events';
import { batchRows, EventBuffer } from '../src/event-buffer.js';
import { isBounce, messageKey } from '../src/rows.js';

const base: NormalizedEvent = {
  schema: 'trace_detail',
  schema_version: 1,
  tenant: 'contoso.onmicrosoft.com',
  event_time_ms: Date.UTC(2026, 10, 20, 9, 14, 5),
  message_trace_id: '9b8e1c22-4d5f-4e6a-2a31-08de27a19c42',
  message_id: '<a@b>',
  sender: 'billing@contoso.com',
  recipient: 'ap@fabrikam.com',
  sender_domain: 'contoso.com',
  recipient_domain: 'fabrikam.com',
  direction: 'outbound',
  status: 'fail',
  terminal: true,
  from_ip: null,
  to_ip: '203.0.113.5',
  size_bytes: 100,
  subject: 'Invoice',
  diagnostic: '550 5.7.509 Access denied',
  status_code: null,
  remote_mta: null,
  natural_key: 'td|k1',
  status_rank: 3,
};
const dmarc: Classification = {
  entry: 'exo.5.7.509',
  code: '5.7.509',
  reply: '550',
  class: 'permanent',
  category: 'authentication',
  reason: 'auth_failure',
  alert_tags: ['dmarc_failure'],
  matched_by: 'exact_code',
  exact: true,
  entities: { ips: ['203.0.113.10'], domains: [], addresses: [], sub_code: null },
};

describe('EventBuffer', () => {
  it('holds one row per event, with the dimensions ClickHouse aggregates by', () => {
    const b = new EventBuffer();
    b.add(base, dmarc, 'kafka:t/0/1', 1);
    b.add({ ...base, natural_key: 'td|k2', event_time_ms: base.event_time_ms + 30_000 }, dmarc, 'kafka:t/0/2', 1);
    b.add({ ...base, schema: 'message_trace', natural_key: 'mt|k3', status: 'delivered' }, dmarc, 'kafka:t/0/3', 1);
    expect(b.eventCount).toBe(3);
    const out = b.drain();
    expect(out.eventCount).toBe(3);
    const rows = batchRows(out);
    expect(rows.map((r) => r.natural_key)).toEqual(['td|k1', 'td|k2', 'mt|k3']);
    expect(rows[0]).toMatchObject({
      event_time: String(Math.floor(base.event_time_ms / 1000)),
      code: '5.7.509',
      entry: 'exo.5.7.509',
      bounce: '1',
      ip: '203.0.113.10',
      tenant: 'contoso.onmicrosoft.com',
      message_key: messageKey(base),
      alert_tags: "['dmarc_failure']",
      source: 'kafka:t/0/1',
    });
    expect(rows[2]!.bounce).toBe('0');
    expect(b.eventCount).toBe(0);
    expect(b.approxBytes).toBe(0);
    expect(b.drain()).toEqual({ chunks: [], chunkRows: [], eventCount: 0, approxBytes: 0 });
  });

  it('packs rows into chunks that end on a row boundary, holding the exact bytes', () => {
    const b = new EventBuffer();
    const n = 2_000;
    for (let i = 0; i < n; i++) b.add({ ...base, natural_key: `td|k${i}`, subject: 'tab\there' }, dmarc, `s${i}`, 1);
    const out = b.drain();
    expect(out.chunks.length).toBeGreaterThan(5);
    expect(out.chunkRows.reduce((a, x) => a + x, 0)).toBe(n);
    expect(out.approxBytes).toBe(out.chunks.reduce((a, c) => a + c.length, 0));
    out.chunks.forEach((c, i) => {
      expect(c.toString().endsWith('\n')).toBe(true);
      expect(c.toString().split('\n').length - 1).toBe(out.chunkRows[i]);
    });
    const rows = batchRows(out);
    expect(rows.map((r) => r.natural_key)).toEqual(Array.from({ length: n }, (_, i) => `td|k${i}`));
    expect(new Set(rows.map((r) => r.subject))).toEqual(new Set(['tab\there']));
  });

  it('grows its size estimate with what it holds', () => {
    const b = new EventBuffer();
    b.add(base, dmarc, 's', 1);
    const one = b.approxBytes;
    b.add({ ...base, natural_key: 'td|k9', diagnostic: 'x'.repeat(1000) }, dmarc, 's', 1);
    expect(one).toBeGreaterThan(0);
    expect(b.approxBytes).toBeGreaterThan(2 * one);
  });
});

describe('row rules', () => {
  it('shares a message key between a trace row, its detail events and its NDR', () => {
    const trace = { ...base, schema: 'message_trace' as const, natural_key: 'mt|x' };
    const ndr = { ...base, schema: 'ndr' as const, natural_key: 'ndr|x', status: 'failed' };
    expect(messageKey(trace)).toBe(messageKey(base));
    expect(messageKey(ndr)).toBe(messageKey(base));
    expect(messageKey({ ...base, message_trace_id: null, message_id: null })).toBe('td|k1');
  });

  it('counts detail failures and NDRs as bounces, not trace rows or deliveries', () => {
    expect(isBounce(base, dmarc)).toBe(true);
    expect(isBounce({ ...base, schema: 'ndr', status: 'delayed' }, dmarc)).toBe(true);
    expect(isBounce({ ...base, schema: 'message_trace', status: 'failed' }, dmarc)).toBe(false);
    expect(isBounce({ ...base, status: 'deliver' }, dmarc)).toBe(false);
    expect(isBounce(base, { ...dmarc, class: 'success' })).toBe(false);
  });
});

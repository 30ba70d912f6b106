import { describe, expect, it } from 'vitest';
import type { Classification } from '@ndr/classifier';
import type { NormalizedEvent } from '@ndr/events';
import { AggregateBuffer } from '../src/aggregate-buffer.js';
import { bucketOf, isBounce, messageKey } from '../src/rows.js';

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

describe('AggregateBuffer', () => {
  it('groups events per minute and dimensions, keeping every key', () => {
    const b = new AggregateBuffer();
    b.add(base, dmarc, 'kafka:t/0/1', 1);
    b.add(
      {
        ...base,
        natural_key: 'td|k2',
        message_trace_id: '00000000-0000-0000-0000-000000000002',
        event_time_ms: base.event_time_ms + 30_000,
      },
      dmarc,
      'kafka:t/0/2',
      1,
    );
    b.add({ ...base, natural_key: 'td|k3', event_time_ms: base.event_time_ms + 60_000 }, dmarc, 'kafka:t/0/3', 1);
    const out = b.drain();
    expect(out.eventCount).toBe(3);
    expect(out.events).toHaveLength(3);
    expect(out.aggregates).toHaveLength(2);
    const first = out.aggregates.find((a) => a.bucket === bucketOf(base.event_time_ms))!;
    expect(first.event_keys).toEqual(['td|k1', 'td|k2']);
    expect(first).toMatchObject({
      code: '5.7.509',
      entry: 'exo.5.7.509',
      bounce: 1,
      ip: '203.0.113.10',
      tenant: 'contoso.onmicrosoft.com',
    });
    expect(b.eventCount).toBe(0);
    expect(b.drain().aggregates).toHaveLength(0);
  });

  it('keeps hostile dimension values from merging two groups', () => {
    const b = new AggregateBuffer();
    b.add({ ...base, sender_domain: 'a","b' }, dmarc, 's', 1);
    b.add({ ...base, sender_domain: 'a', recipient_domain: 'b","fabrikam.com' }, dmarc, 's', 1);
    expect(b.drain().aggregates).toHaveLength(2);
  });

  it('grows its size estimate with what it holds', () => {
    const b = new AggregateBuffer();
    b.add(base, dmarc, 's', 1);
    const one = b.approxBytes;
    b.add({ ...base, natural_key: 'td|k9' }, dmarc, 's', 1);
    expect(one).toBeGreaterThan(0);
    expect(b.approxBytes).toBeGreaterThan(one);
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

import { describe, expect, it } from 'vitest';
import { decodeEvent, normalizedEventSchema, traceDetailV2 } from '@ndr/events';
import { accept, bytes, sampleJson, type Row } from './helpers/samples.js';

const details = sampleJson<Row[]>('message-trace-detail.sample.json');
const TENANT = 'contoso.onmicrosoft.com';

/** The same event as Graph getDetailsByRecipient returns it: camelCase, `id`, whole-second dateTime, no recipient. */
function asGraph(v2: Row): Row {
  return {
    id: v2.MessageTraceId,
    dateTime: (v2.Date as string).slice(0, 19) + 'Z',
    event: v2.Event,
    action: v2.Action,
    description: v2.Detail,
    data: v2.Data,
    messageId: v2.MessageId,
    recipientAddress: v2.RecipientAddress, // added by the producer from its request
    tenant: TENANT,
  };
}

const find = (event: string, traceId: string) =>
  details.find((d) => d.Event === event && d.MessageTraceId === traceId)!;

describe('Get-MessageTraceDetailV2 events (message-trace-detail.sample.json)', () => {
  it('accepts all 10 sample events, each a valid NormalizedEvent with a td| key', () => {
    expect(details).toHaveLength(10);
    for (const d of details) {
      const e = accept('trace_detail', d);
      expect(normalizedEventSchema.safeParse(e).success).toBe(true);
      expect(e.natural_key.startsWith(`td|${e.message_trace_id}|${e.recipient}|${e.status}|`)).toBe(true);
    }
  });

  it('normalises the event names and phase ranks of the sample', () => {
    const got = details.map((d) => accept('trace_detail', d)).map((e) => `${e.status}:${e.status_rank}:${e.terminal}`);
    expect(new Set(got)).toEqual(
      new Set(['receive:0:true', 'submit:1:true', 'deliver:3:true', 'fail:3:true', 'defer:3:false']),
    );
  });

  it('keeps the raw Fail reason as the diagnostic and lifts remote host, IP and status code', () => {
    const e = accept('trace_detail', find('Fail', '9b8e1c22-4d5f-4e6a-2a31-08de27a19c42'));
    expect(e.diagnostic).toMatch(/^Reason: \[\{LED=550 5\.7\.509 Access denied, sending domain \[CONTOSO\.COM\]/);
    expect(e).toMatchObject({
      status: 'fail',
      status_code: '5.7.509',
      remote_mta: 'fabrikam-com.mail.protection.outlook.com',
      to_ip: '203.0.113.5',
      direction: 'outbound',
      event_time_ms: Date.parse('2026-11-20T09:14:07.512Z'),
      natural_key: 'td|9b8e1c22-4d5f-4e6a-2a31-08de27a19c42|ap@fabrikam.com|fail|2026-11-20T09:14:07Z',
    });
  });

  it('reads an internal failure (no remote hop) with null remote fields', () => {
    const e = accept('trace_detail', find('Fail', '7c3d2e44-8a1b-4c7d-4c53-08de27a3c164'));
    expect(e).toMatchObject({ status_code: '5.1.10', remote_mta: null, to_ip: null, direction: 'intra_org' });
  });

  it('reads the client IP of a Receive event from Data', () => {
    const e = accept('trace_detail', find('Receive', '5d2f9a41-7c3e-4b8a-1f20-08de27a10a11'));
    expect(e).toMatchObject({
      status: 'receive',
      from_ip: '198.51.100.23',
      diagnostic: expect.stringContaining('Message received by'),
    });
  });

  it('gives the two Defer events of one message distinct keys (different times)', () => {
    const defers = details.filter((d) => d.Event === 'Defer').map((d) => accept('trace_detail', d));
    expect(defers).toHaveLength(2);
    expect(defers[0]!.natural_key).not.toBe(defers[1]!.natural_key);
    expect(defers.every((e) => e.status_code === '4.4.316' && e.remote_mta === 'mail.example.com' && !e.terminal)).toBe(
      true,
    );
  });
});

describe('Graph getDetailsByRecipient events', () => {
  it('give the same key, status and facts as the V2 event they describe', () => {
    for (const d of details) {
      const v2 = accept('trace_detail', d);
      const graph = accept('trace_detail', asGraph(d));
      expect(graph.natural_key).toBe(v2.natural_key);
      expect([graph.status, graph.status_code, graph.remote_mta, graph.to_ip, graph.diagnostic]).toEqual([
        v2.status,
        v2.status_code,
        v2.remote_mta,
        v2.to_ip,
        v2.diagnostic,
      ]);
    }
  });

  it('require the producer to attach recipientAddress', () => {
    const { recipientAddress: _omit, ...noRecipient } = asGraph(details[0]!);
    const r = decodeEvent('trace_detail', bytes(noRecipient));
    expect(r).toMatchObject({ ok: false, reason: 'schema_mismatch' });
    expect(!r.ok && r.detail).toMatch(/trace-detail-graph: recipientAddress: /);
  });

  it('leave the sender empty when the producer does not add it', () => {
    const e = accept('trace_detail', asGraph(details[0]!));
    expect([e.sender, e.sender_domain]).toEqual(['', '']);
  });
});

describe('detail schema errors name the field path', () => {
  it.each([
    [{ Event: '' }, /Event: expected an event name/],
    [{ Date: '20.11.2026 09:14' }, /Date: expected a UTC timestamp/],
    [{ Detail: 42 }, /Detail: .*expected string/],
    [{ MessageTraceId: null }, /MessageTraceId: /],
  ])('%o', (patch, message) => {
    const r = traceDetailV2.parse({ ...details[0], ...patch });
    expect(!r.ok && r.detail).toMatch(message);
  });
});

import { describe, expect, it } from 'vitest';
import { decodeEvent, ndrDsn, normalizedEventSchema, type NormalizedEvent } from '@ndr/events';
import { accept, bytes, fixture, iso, sampleJson, sampleText, type Row } from './helpers/samples.js';

const exo = fixture('ndr-dsn-exo-5.7.509.json');
const sendmail = fixture('ndr-dsn-sendmail-5.2.2.json');
const mbox = sampleText('ndr-dsn.sample.txt');

describe('ndr-dsn fixtures extracted from ndr-dsn.sample.txt', () => {
  it.each([
    ['EXO NDR', exo],
    ['Sendmail DSN', sendmail],
  ])('%s: every extracted string still occurs verbatim in the shared sample', (_name, fx) => {
    for (const [key, value] of Object.entries(fx)) {
      if (key === 'tenant' || typeof value !== 'string') continue;
      expect(mbox, key).toContain(value);
    }
  });

  it('normalises the EXO 5.7.509 NDR', () => {
    const e = accept('ndr', exo);
    expect(normalizedEventSchema.safeParse(e).success).toBe(true);
    expect(e).toEqual({
      schema: 'ndr',
      schema_version: 1,
      tenant: 'contoso.onmicrosoft.com',
      event_time_ms: Date.parse('2026-11-20T09:14:07Z'), // ndr_date: no Last-Attempt-Date in EXO NDRs
      message_trace_id: '9b8e1c22-4d5f-4e6a-2a31-08de27a19c42',
      message_id: '<20261120091401.77D1A0@billing-app.contoso.com>',
      sender: 'billing@contoso.com',
      recipient: 'ap@fabrikam.com',
      sender_domain: 'contoso.com',
      recipient_domain: 'fabrikam.com',
      direction: 'outbound',
      status: 'failed',
      terminal: true,
      from_ip: null,
      to_ip: null,
      size_bytes: null,
      subject: 'Invoice INV-2026-11873 from Contoso',
      diagnostic: exo.diagnostic_code,
      status_code: '5.7.509',
      remote_mta: 'fabrikam-com.mail.protection.outlook.com',
      natural_key: 'ndr|nmid:9b8e1c22-4d5f-4e6a-2a31-08de27a19c42|ap@fabrikam.com|failed',
      status_rank: 2,
    });
  });

  it('normalises the Sendmail 5.2.2 DSN (RFC822; / DNS; with spaces, Last-Attempt-Date)', () => {
    const e = accept('ndr', sendmail);
    expect(e).toMatchObject({
      recipient: 'site.lead@example.org',
      sender: 'carol@contoso.com',
      status: 'failed',
      status_code: '5.2.2',
      remote_mta: 'store2.example.org',
      diagnostic: 'SMTP; 552 5.2.2 <site.lead@example.org>: Mailbox full - quota exceeded',
      message_trace_id: '8c9d0e1f-2a3b-4c4d-8e5f-08de1767c8d9',
    });
    expect(iso(e.event_time_ms)).toBe('2026-10-27T05:33:09.000Z');
  });

  it('joins the EXO NDR to the V2 trace row and the Fail detail event of the same message and recipient', () => {
    const ndr = accept('ndr', exo);
    const row = sampleJson<Row[]>('message-trace-v2.sample.json').find(
      (r) => r.MessageTraceId === ndr.message_trace_id,
    )!;
    const fail = sampleJson<Row[]>('message-trace-detail.sample.json').find(
      (d) => d.MessageTraceId === ndr.message_trace_id && d.Event === 'Fail',
    )!;
    const trace = accept('message_trace', row);
    const detail = accept('trace_detail', fail);
    for (const e of [trace, detail])
      expect([e.message_trace_id, e.recipient, e.message_id]).toEqual([
        ndr.message_trace_id,
        ndr.recipient,
        ndr.message_id,
      ]);
    expect(detail.status_code).toBe(ndr.status_code);
  });
});

describe('NDR natural key', () => {
  const key = (r: Row) => accept('ndr', r).natural_key;

  it('is the same for the same bounce re-exported, re-sent by another server or re-cased', () => {
    const k = key(exo);
    expect(key({ ...exo })).toBe(k);
    expect(
      key({
        ...exo,
        ndr_message_id: '<other@DM6PR04MB9999.namprd04.prod.outlook.com>',
        ndr_network_message_id: null,
        reporting_mta: 'dns;DM6PR04MB9999',
      }),
    ).toBe(k);
    expect(
      key({ ...exo, ndr_date: '2026-11-20T09:20:00Z', final_recipient: 'RFC822; AP@Fabrikam.com', action: 'FAILED' }),
    ).toBe(k);
    expect(key({ ...exo, original_network_message_id: '9B8E1C224D5F4E6A2A3108DE27A19C42' })).toBe(k);
  });

  it('differs between different bounces: other recipient, other message, delay before failure', () => {
    const k = key(exo);
    expect(key({ ...exo, final_recipient: 'rfc822;ar@fabrikam.com' })).not.toBe(k);
    expect(key({ ...exo, original_network_message_id: '0a1b2c3d-4e5f-4a6b-8c7d-08ddea0b1c2d' })).not.toBe(k);
    const delayed = accept('ndr', { ...exo, action: 'delayed', status: '4.4.7' });
    expect(delayed.natural_key).not.toBe(k);
    expect(delayed).toMatchObject({ terminal: false, status_rank: 1 });
    expect(accept('ndr', exo).status_rank).toBeGreaterThan(delayed.status_rank);
  });

  it('falls back to the original Message-ID, then the NDR Message-ID, tagging which one it used', () => {
    const noNmid = { ...exo, original_network_message_id: undefined };
    expect(key(noNmid)).toBe('ndr|mid:<20261120091401.77D1A0@billing-app.contoso.com>|ap@fabrikam.com|failed');
    const onlyNdrId = { ...noNmid, original_message_id: null };
    expect(key(onlyNdrId)).toBe(`ndr|ndr:${exo.ndr_message_id}|ap@fabrikam.com|failed`);
    expect(accept('ndr', noNmid).message_trace_id).toBeNull();
  });

  it('escapes the separator inside a Message-ID', () => {
    expect(key({ ...exo, original_network_message_id: null, original_message_id: '<a|b%c@x>' })).toBe(
      'ndr|mid:<a%7Cb%25c@x>|ap@fabrikam.com|failed',
    );
  });
});

describe('NDR rejections', () => {
  const reason = (r: Row) => {
    const d = decodeEvent('ndr', bytes(r));
    return d.ok ? 'ok' : `${d.reason}: ${d.detail}`;
  };

  it('needs a tenant', () => {
    expect(reason({ ...exo, tenant: undefined })).toMatch(/^missing_tenant: ndr-dsn: no tenant/);
  });

  it('names the field for a bad action, status or date', () => {
    expect(reason({ ...exo, action: 'bounced' })).toMatch(
      /^schema_mismatch: ndr-dsn: action: expected one of failed, delayed/,
    );
    expect(reason({ ...exo, status: '550' })).toMatch(/status: expected an RFC 3463 enhanced status code/);
    expect(reason({ ...exo, arrival_date: 'soon' })).toMatch(/arrival_date: expected a UTC timestamp/);
    expect(reason({ ...exo, final_recipient: 5 })).toMatch(/final_recipient: .*expected string/);
  });

  it('needs an id for the key and a date for the event time', () => {
    expect(
      reason({ ...exo, original_network_message_id: null, original_message_id: null, ndr_message_id: null }),
    ).toMatch(/original_network_message_id: an NDR needs/);
    expect(reason({ ...exo, ndr_date: null, arrival_date: undefined })).toMatch(/ndr_date: an NDR needs ndr_date/);
  });

  it('rejects an unknown schema_version as unsupported_version', () => {
    expect(reason({ ...exo, schema_version: 2 })).toMatch(/^unsupported_version: ndr-dsn: schema_version 2/);
    expect(ndrDsn.parse({ ...exo, schema_version: 1 }).ok).toBe(true);
  });

  it('accepts the event time in the preferred order: last_attempt_date, ndr_date, arrival_date', () => {
    const t = (r: Row): NormalizedEvent['event_time_ms'] => accept('ndr', r).event_time_ms;
    expect(iso(t({ ...exo, last_attempt_date: '2026-11-20T09:14:06Z' }))).toBe('2026-11-20T09:14:06.000Z');
    expect(iso(t({ ...exo, ndr_date: null }))).toBe('2026-11-20T09:14:02.000Z');
  });
});

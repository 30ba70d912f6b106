import { describe, expect, it } from 'vitest';
import { decodeEvent, messageTraceGraph, messageTraceV2, normalizedEventSchema } from '@ndr/events';
import { accept, bytes, iso, sampleJson, type Row } from './helpers/samples.js';

const v2Rows = sampleJson<Row[]>('message-trace-v2.sample.json');
const graphPage = sampleJson<{ value: Row[] }>('message-trace-graph.sample.json');
const TENANT = 'contoso.onmicrosoft.com';
const withTenant = (r: Row) => ({ ...r, tenant: TENANT });
const byTraceId = (rows: Row[], id: string, key = 'MessageTraceId') => rows.find((r) => r[key] === id)!;

/** The Reporting Web Service row of INPUT-FORMATS §1.3 (OData verbose, /Date()/, query echo fields). */
const RWS_ROW = {
  __metadata: {
    id: 'https://reports.office365.com/ecp/ReportingWebService/Reporting.svc/MessageTrace(0)',
    uri: 'https://reports.office365.com/ecp/ReportingWebService/Reporting.svc/MessageTrace(0)',
    type: 'TenantReporting.MessageTrace',
  },
  Organization: 'contoso.onmicrosoft.com',
  MessageId: '<20261120081458.4F2A1C9E3B@mta7.example.net>',
  Received: '/Date(1795162503546)/',
  SenderAddress: 'newsletter@example.net',
  RecipientAddress: 'alice@contoso.com',
  Subject: 'Your November product digest',
  Status: 'Delivered',
  ToIP: null,
  FromIP: '198.51.100.23',
  Size: 48213,
  MessageTraceId: '5d2f9a41-7c3e-4b8a-1f20-08de27a10a11',
  StartDate: '/Date(1795132800000)/',
  EndDate: '/Date(1795219200000)/',
  Index: 0,
};

describe('Get-MessageTraceV2 rows (message-trace-v2.sample.json)', () => {
  it('accepts all 10 sample rows and each normalised event satisfies the NormalizedEvent contract', () => {
    expect(v2Rows).toHaveLength(10);
    for (const row of v2Rows) {
      const e = accept('message_trace', row);
      expect(normalizedEventSchema.safeParse(e).success).toBe(true);
      expect(e.schema).toBe('message_trace');
      expect(e.natural_key).toBe(`mt|${e.message_trace_id}|${e.recipient}`);
    }
  });

  it('normalises the 5.7.509 row field by field', () => {
    const e = accept('message_trace', byTraceId(v2Rows, '9b8e1c22-4d5f-4e6a-2a31-08de27a19c42'));
    expect(e).toEqual({
      schema: 'message_trace',
      schema_version: 1,
      tenant: TENANT,
      event_time_ms: Date.parse('2026-11-20T09:14:02.601Z'),
      message_trace_id: '9b8e1c22-4d5f-4e6a-2a31-08de27a19c42',
      message_id: '<20261120091401.77D1A0@billing-app.contoso.com>',
      sender: 'billing@contoso.com',
      recipient: 'ap@fabrikam.com',
      sender_domain: 'contoso.com',
      recipient_domain: 'fabrikam.com',
      direction: 'outbound',
      status: 'failed',
      terminal: true,
      from_ip: '192.0.2.44',
      to_ip: '203.0.113.5',
      size_bytes: 18734,
      subject: 'Invoice INV-2026-11873 from Contoso',
      diagnostic: null,
      status_code: null,
      remote_mta: null,
      natural_key: 'mt|9b8e1c22-4d5f-4e6a-2a31-08de27a19c42|ap@fabrikam.com',
      status_rank: 2,
    });
  });

  it('normalises every status casing of the sample and its terminal flag', () => {
    const got = v2Rows.map((r) => accept('message_trace', r)).map((e) => [e.status, e.terminal, e.status_rank]);
    expect(new Set(got.map((g) => g[0]))).toEqual(
      new Set(['getting_status', 'expanded', 'filtered_as_spam', 'quarantined', 'delivered', 'failed', 'pending']),
    );
    expect(got).toContainEqual(['getting_status', false, 0]);
    expect(got).toContainEqual(['pending', false, 1]);
    expect(got).toContainEqual(['filtered_as_spam', true, 2]);
  });

  it('maps "" and null IPs to null and keeps Message-ID byte-exact', () => {
    const e = accept('message_trace', byTraceId(v2Rows, '6e2a8d99-2e6a-4a2c-91a8-08de27a706b9'));
    expect([e.from_ip, e.to_ip]).toEqual([null, null]);
    expect(e.message_id).toBe('<PH0PR04MB7300E1F2A3B4C5D6E7F8091A2B3C4D5E@PH0PR04MB7300.namprd04.prod.outlook.com>');
    const ipv6 = accept('message_trace', byTraceId(v2Rows, 'c4f1b0aa-3f7b-4b3d-a2b9-08de27a817ca'));
    expect(ipv6.from_ip).toBe('2001:db8:4f::25');
  });

  it('infers direction from Organization vs the sender and recipient domains', () => {
    const dir = (id: string) => accept('message_trace', byTraceId(v2Rows, id)).direction;
    expect(dir('5d2f9a41-7c3e-4b8a-1f20-08de27a10a11')).toBe('inbound'); // newsletter@example.net → alice@contoso.com
    expect(dir('9b8e1c22-4d5f-4e6a-2a31-08de27a19c42')).toBe('outbound'); // billing@contoso.com → ap@fabrikam.com
    expect(dir('2f6b9d55-3e2c-4a8e-5d64-08de27a3c275')).toBe('intra_org'); // the NDR row, from …@contoso.onmicrosoft.com
  });

  it('accepts a Reporting Web Service row (/Date()/, __metadata, StartDate/EndDate/Index) as the same row', () => {
    const rws = accept('message_trace', RWS_ROW);
    const v2 = accept('message_trace', byTraceId(v2Rows, '5d2f9a41-7c3e-4b8a-1f20-08de27a10a11'));
    expect(rws.natural_key).toBe(v2.natural_key);
    expect(iso(rws.event_time_ms)).toBe('2026-11-20T08:15:03.546Z');
    expect(rws.event_time_ms).toBe(v2.event_time_ms);
    expect(rws.to_ip).toBeNull();
  });

  it('normalises the dash-less and upper-case MessageTraceId forms to the same key', () => {
    const row = byTraceId(v2Rows, '9b8e1c22-4d5f-4e6a-2a31-08de27a19c42');
    const a = accept('message_trace', row);
    const b = accept('message_trace', {
      ...row,
      MessageTraceId: '9B8E1C224D5F4E6A2A3108DE27A19C42',
      RecipientAddress: 'AP@Fabrikam.com',
    });
    expect(b.message_trace_id).toBe(a.message_trace_id);
    expect(b.natural_key).toBe(a.natural_key);
  });
});

describe('Graph messageTraces rows (message-trace-graph.sample.json)', () => {
  it('accepts the 3 sample rows once the producer adds the tenant', () => {
    expect(graphPage.value).toHaveLength(3);
    for (const row of graphPage.value)
      expect(normalizedEventSchema.parse(accept('message_trace', withTenant(row)))).toBeTruthy();
  });

  it('gives the same natural key, status and facts as the V2 row for the same (MessageTraceId, recipient)', () => {
    for (const g of graphPage.value) {
      const fromGraph = accept('message_trace', withTenant(g));
      const fromV2 = accept('message_trace', byTraceId(v2Rows, g.id as string));
      expect(fromGraph.natural_key).toBe(fromV2.natural_key);
      expect(fromGraph.status).toBe(fromV2.status);
      expect(fromGraph.status_rank).toBe(fromV2.status_rank);
      expect(fromGraph.tenant).toBe(fromV2.tenant);
      expect(fromGraph.direction).toBe(fromV2.direction);
      expect([fromGraph.message_id, fromGraph.size_bytes, fromGraph.subject]).toEqual([
        fromV2.message_id,
        fromV2.size_bytes,
        fromV2.subject,
      ]);
      // Graph drops the fraction of a second that PowerShell keeps.
      expect(Math.abs(fromGraph.event_time_ms - fromV2.event_time_ms)).toBeLessThan(1000);
    }
  });

  it('rejects a Graph row without any tenant field as missing_tenant, naming the accepted fields', () => {
    const r = decodeEvent('message_trace', bytes(graphPage.value[0]));
    expect(r).toMatchObject({ ok: false, reason: 'missing_tenant' });
    expect(!r.ok && r.detail).toContain('tenant');
  });
});

describe('tenant precedence', () => {
  const row = byTraceId(v2Rows, '9b8e1c22-4d5f-4e6a-2a31-08de27a19c42');
  const tenantOf = (extra: Row) => accept('message_trace', { ...row, ...extra }).tenant;

  it('takes tenant over Organization over TenantId over tenantId, trimmed and lower-cased', () => {
    expect(tenantOf({ tenant: ' Contoso-Prod ', TenantId: 'x', tenantId: 'y' })).toBe('contoso-prod');
    expect(tenantOf({ TenantId: '3f0e2c1a-9b8d-4e7f-a6c5-2d1e0f9a8b7c' })).toBe('contoso.onmicrosoft.com');
    expect(tenantOf({ Organization: null, TenantId: 'Workspace-Guid', tenantId: 'y' })).toBe('workspace-guid');
    expect(tenantOf({ Organization: '', tenantId: 'camel' })).toBe('camel');
    expect(tenantOf({ Organization: 'CONTOSO.onmicrosoft.com' })).toBe('contoso.onmicrosoft.com');
  });

  it('rejects a V2 row whose tenant fields are all absent or blank', () => {
    const { Organization: _omit, ...noOrg } = row;
    expect(decodeEvent('message_trace', bytes(noOrg))).toMatchObject({ ok: false, reason: 'missing_tenant' });
    expect(decodeEvent('message_trace', bytes({ ...row, Organization: '  ', tenant: '' }))).toMatchObject({
      ok: false,
      reason: 'missing_tenant',
    });
  });

  it('lets a producer-set direction win over the inference', () => {
    expect(accept('message_trace', { ...row, direction: 'Intra-org' }).direction).toBe('intra_org');
  });
});

describe('status over time', () => {
  it('keeps the natural key of a Pending row when it becomes Delivered, with a higher status_rank', () => {
    const pending = byTraceId(v2Rows, '4a9c1f66-6b3d-4d9f-6e75-08de27a4d386');
    const before = accept('message_trace', pending);
    const after = accept('message_trace', { ...pending, Status: 'Delivered' });
    expect(after.natural_key).toBe(before.natural_key);
    expect([before.terminal, after.terminal]).toEqual([false, true]);
    expect(after.status_rank).toBeGreaterThan(before.status_rank);
  });

  it('orders Graph gettingStatus before the V2 Failed of the same row', () => {
    const g = graphPage.value.find((r) => r.status === 'gettingStatus')!;
    const first = accept('message_trace', withTenant(g));
    const later = accept('message_trace', { ...byTraceId(v2Rows, g.id as string), Status: 'Failed' });
    expect(later.natural_key).toBe(first.natural_key);
    expect(later.status_rank).toBeGreaterThan(first.status_rank);
  });
});

describe('schema errors name the field path', () => {
  const row = byTraceId(v2Rows, '9b8e1c22-4d5f-4e6a-2a31-08de27a19c42');
  it.each([
    ['Size', { Size: '18734' }, /Size: .*expected number/],
    ['Size', { Size: -1 }, /Size: /],
    ['Received', { Received: 'yesterday' }, /Received: expected a UTC timestamp/],
    ['Received', { Received: 1795166042601 }, /Received: .*expected string/],
    ['MessageTraceId', { MessageTraceId: 'abc' }, /MessageTraceId: expected a GUID/],
    ['RecipientAddress', { RecipientAddress: undefined }, /RecipientAddress: /],
    ['RecipientAddress', { RecipientAddress: '  ' }, /RecipientAddress: expected a non-empty address/],
    ['Status', { Status: 7 }, /Status: /],
    ['direction', { direction: 'sideways' }, /direction: expected one of inbound/],
  ])('%s', (_field, patch, message) => {
    const r = messageTraceV2.parse({ ...row, ...patch });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe('schema_mismatch');
    expect(!r.ok && r.detail).toMatch(message);
  });

  it('names every bad field (up to three) of a Graph row', () => {
    const r = messageTraceGraph.parse({ ...graphPage.value[0], size: 'big', receivedDateTime: null, id: 3 });
    expect(!r.ok && r.detail).toMatch(/^message-trace-graph: .*id: .*receivedDateTime: .*size: /);
  });

  it('tolerates and drops extra fields', () => {
    const r = messageTraceV2.parse({ ...row, Index: 4, __metadata: { type: 'x' }, Directionality: 'Originating' });
    expect(r.ok && Object.keys(r.value)).not.toContain('Index');
  });
});

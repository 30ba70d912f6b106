import { describe, expect, it } from 'vitest';
import {
  domainOf,
  inferDirection,
  keySecond,
  normalizeAddress,
  normalizeGuid,
  normalizeHost,
  parseTimestamp,
  toSnake,
  traceStatusRank,
  isTerminal,
} from '@ndr/events';
import { detailFacts } from '../src/fields/detail-text.js';

const T = Date.UTC(2026, 10, 20, 9, 14, 2); // 2026-11-20T09:14:02Z

describe('parseTimestamp', () => {
  it.each([
    ['Graph ISO with Z', '2026-11-20T09:14:02Z', T],
    ['PowerShell 7 zone-less with 7 fractional digits (UTC)', '2026-11-20T09:14:02.6012277', T + 601],
    ['historical search 7 digits with Z', '2026-11-20T09:14:02.6012277Z', T + 601],
    ['explicit offset', '2026-11-20T10:14:02+01:00', T],
    ['compact offset', '2026-11-20T04:14:02-0500', T],
    ['space instead of T', '2026-11-20 09:14:02', T],
    ['RWS / PowerShell 5.1 JSON date', '/Date(1795166042601)/', T + 601],
    ['JSON date with an offset suffix (ignored: the number is UTC)', '/Date(1795166042601+0100)/', T + 601],
    ['en-US Export-Csv AM', '11/20/2026 9:14:02 AM', T],
    ['en-US PM', '11/20/2026 9:14:02 PM', T + 12 * 3600_000],
    ['en-US 12 AM is midnight', '11/20/2026 12:00:00 AM', Date.UTC(2026, 10, 20)],
    ['en-US 12 PM is noon', '11/20/2026 12:00:00 PM', Date.UTC(2026, 10, 20, 12)],
    ['RFC 5322 numeric zone', 'Fri, 20 Nov 2026 09:14:02 +0000', T],
    ['RFC 5322 GMT, no weekday', '20 Nov 2026 10:14:02 +0100', T],
    ['RFC 5322 GMT', 'Tue, 27 Oct 2026 05:33:09 GMT', Date.UTC(2026, 9, 27, 5, 33, 9)],
    ['RFC 5322 with a comment', 'Fri, 20 Nov 2026 09:14:02 +0000 (UTC)', T],
  ])('%s', (_name, text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });

  it.each([
    ['date only', '2026-11-20'],
    ['month 13', '2026-13-20T09:14:02Z'],
    ['30 February', '2026-02-30T09:14:02Z'],
    ['hour 24', '2026-11-20T24:00:00Z'],
    ['24-hour slash date (day-first cultures are ambiguous)', '20/11/2026 09:14:02'],
    ['en-US hour 13 with PM', '11/20/2026 13:14:02 PM'],
    ['.NET DateTime.MinValue (unset)', '0001-01-01T00:00:00'],
    ['year 2100', '2100-01-01T00:00:00Z'],
    ['free text', 'yesterday'],
    ['empty', ''],
    ['bad zone name', 'Fri, 20 Nov 2026 09:14:02 XYZ'],
  ])('rejects %s', (_name, text) => {
    expect(parseTimestamp(text)).toBeNull();
  });

  it('keys whole seconds the same whether or not the surface kept the fraction', () => {
    expect(keySecond(T + 601)).toBe('2026-11-20T09:14:02Z');
    expect(keySecond(T)).toBe('2026-11-20T09:14:02Z');
  });
});

describe('normalizeGuid', () => {
  it('accepts the dashed, dash-less, upper-case and braced forms and returns lower-case dashed', () => {
    const canonical = 'ae5c1219-4c90-41bf-fef5-08d837917e7c';
    for (const form of [
      canonical,
      'AE5C1219-4C90-41BF-FEF5-08D837917E7C',
      'ae5c12194c9041bffef508d837917e7c',
      '{ae5c1219-4c90-41bf-fef5-08d837917e7c}',
    ]) {
      expect(normalizeGuid(form)).toBe(canonical);
    }
    expect(normalizeGuid('2bbad36aa4674c7ba82f4b307fff549f')).toBe('2bbad36a-a467-4c7b-a82f-4b307fff549f');
  });

  it('rejects what is not a GUID', () => {
    for (const bad of [
      '',
      'not-a-guid',
      'ae5c1219-4c90-41bf-fef5-08d837917e7',
      'ae5c1219-4c9041bf-fef5-08d837917e7c',
      'ge5c1219-4c90-41bf-fef5-08d837917e7c',
    ]) {
      expect(normalizeGuid(bad)).toBeNull();
    }
  });
});

describe('toSnake', () => {
  it.each([
    ['Delivered', 'delivered'],
    ['FilteredAsSpam', 'filtered_as_spam'],
    ['filteredAsSpam', 'filtered_as_spam'],
    ['GettingStatus', 'getting_status'],
    ['gettingStatus', 'getting_status'],
    ['unknownFutureValue', 'unknown_future_value'],
    ['DELIVERED', 'delivered'],
    ['Send external', 'send_external'],
    ['SENDEXTERNAL', 'send_external'],
    ['DLP rule', 'dlp_rule'],
    ['Transport rule', 'transport_rule'],
    ['Expand DL', 'expand'],
    ['Resolved', 'resolve'],
    [' Defer ', 'defer'],
  ])('%s → %s', (raw, snake) => {
    expect(toSnake(raw)).toBe(snake);
  });

  it('ranks getting_status < pending < terminal statuses < recalled, and flags non-terminal ones', () => {
    expect(traceStatusRank('getting_status')).toBeLessThan(traceStatusRank('pending'));
    expect(traceStatusRank('pending')).toBeLessThan(traceStatusRank('delivered'));
    expect(traceStatusRank('failed')).toBe(traceStatusRank('delivered'));
    expect(traceStatusRank('delivered')).toBeLessThan(traceStatusRank('recalled'));
    for (const s of ['pending', 'getting_status', 'defer', 'delayed']) expect(isTerminal(s)).toBe(false);
    for (const s of ['delivered', 'failed', 'expanded', 'quarantined', 'filtered_as_spam', 'none', 'fail', 'deliver'])
      expect(isTerminal(s)).toBe(true);
  });
});

describe('addresses and hosts', () => {
  it('lower-cases and strips <>, DSN address types and blanks', () => {
    expect(normalizeAddress(' <AP@Fabrikam.COM> ')).toBe('ap@fabrikam.com');
    expect(normalizeAddress('RFC822; site.lead@example.org')).toBe('site.lead@example.org');
    expect(normalizeAddress('utf-8;user@example.org')).toBe('user@example.org');
    expect(normalizeAddress('<>')).toBe('');
    expect(domainOf('"Name<x"@domain.example')).toBe('domain.example');
    expect(domainOf('postmaster')).toBe('');
    expect(normalizeHost('DNS; Store2.Example.org')).toBe('store2.example.org');
    expect(normalizeHost('mx.example.org')).toBe('mx.example.org');
  });
});

describe('inferDirection', () => {
  const tenant = 'contoso.onmicrosoft.com';
  it.each([
    ['contoso.com', 'fabrikam.com', 'outbound'],
    ['example.net', 'contoso.com', 'inbound'],
    ['contoso.com', 'contoso.com', 'intra_org'],
    ['contoso.onmicrosoft.com', 'contoso.com', 'intra_org'],
    ['mail.contoso.co.uk', 'example.org', 'outbound'],
    ['example.net', 'example.org', 'unknown'],
    ['contoso.example.com', 'example.org', 'unknown'],
    ['', 'contoso.com', 'inbound'],
  ])('heuristic: %s → %s is %s', (from, to, expected) => {
    expect(inferDirection(tenant, from, to)).toBe(expected);
  });

  it('uses configured tenant domains when given, and knows nothing for a GUID tenant without them', () => {
    const domains = new Map([['contoso.onmicrosoft.com', ['fabrikam-group.com']]]);
    expect(inferDirection(tenant, 'fabrikam-group.com', 'example.org', domains)).toBe('outbound');
    expect(inferDirection(tenant, 'contoso.com', 'example.org', domains)).toBe('unknown');
    expect(inferDirection('3f0e2c1a-9b8d-4e7f-a6c5-2d1e0f9a8b7c', 'contoso.com', 'example.org')).toBe('unknown');
  });
});

describe('detailFacts', () => {
  it('anchors on the Reason labels even when the LED value contains ; [ ] { }', () => {
    const text =
      'Reason: [{LED=451-4.7.23 Message deferred; unable to verify SPF policy [x] IB305 i{2b0c;9}};{MSG=};{FQDN=MX.Example.com};{IP=203.0.113.9};{LRT=11/20/2026 9:14:07 AM}]';
    expect(detailFacts(text, null)).toEqual({
      fromIp: null,
      toIp: '203.0.113.9',
      remoteMta: 'mx.example.com',
      statusCode: null,
    });
  });

  it('falls back to the proxy trailer and reads ClientIP and RecipientStatus from Data', () => {
    const facts = detailFacts(
      'The message was deferred. 450 4.4.316 Connection refused. OutboundProxyTargetIP: 203.0.113.77. OutboundProxyTargetHostName: mail.example.com',
      '<root><MEP Name="ClientIP" String="198.51.100.23" /><MEP Name="RecipientStatus" String="450 4.4.316" /></root>',
    );
    expect(facts).toEqual({
      fromIp: '198.51.100.23',
      toIp: '203.0.113.77',
      remoteMta: 'mail.example.com',
      statusCode: '4.4.316',
    });
  });

  it('leaves empty FQDN/IP (internal failures) as null', () => {
    const facts = detailFacts(
      'Reason: [{LED=550 5.1.10 RESOLVER.ADR.RecipientNotFound; x};{MSG=};{FQDN=};{IP=};{LRT=}]',
      null,
    );
    expect(facts.toIp).toBeNull();
    expect(facts.remoteMta).toBeNull();
  });
});

describe('keySecond', () => {
  it('matches toISOString without the fraction across days, leap days and before 1970', () => {
    const samples = [
      0,
      999,
      1000,
      -1,
      -1001,
      Date.UTC(2028, 1, 29, 23, 59, 59, 999),
      Date.UTC(2026, 11, 31, 23, 59, 59, 500),
      1795166047512,
    ];
    for (let i = 0; i < 200; i++)
      samples.push(Date.UTC(2000, 0, 1) + Math.floor(Math.random() * 100 * 365 * 86_400_000));
    for (const ms of samples)
      expect(keySecond(ms)).toBe(new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
  });
});

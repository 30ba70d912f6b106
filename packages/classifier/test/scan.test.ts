/** The text scanners: codes, replies, entities. */
import { describe, expect, it } from 'vitest';
import { scanCodes } from '../src/text/scan-codes.js';
import { extractEntities } from '../src/text/entities.js';
import { tokenValue } from '../src/text/garbled.js';

const code = (text: string) => {
  const h = scanCodes(text).code;
  return h === null ? null : `${h.cls}.${h.subject}.${h.detail}`;
};

describe('scanCodes', () => {
  it('finds enhanced codes with 1–3 digit parts and ignores IPs, versions and dates', () => {
    expect(code('550 5.7.509 x')).toBe('5.7.509');
    expect(code('from 192.5.1.1 and 15.20.9412.7 at 2026-11-20T09:14:07.498Z')).toBeNull();
    expect(code('x 5.1.1.4 y')).toBeNull();
    expect(code('Status: 5.1.1.')).toBe('5.1.1');
    expect(code('RFC 5322 section 3.6.2')).toBeNull();
  });
  it('pairs the basic reply with its enhanced code', () => {
    expect(scanCodes('550-5.1.1 The email account').reply).toBe('550');
    expect(scanCodes('{LED=451-4.7.23 deferred').reply).toBe('451');
  });
  it('finds a reply without an enhanced code only where replies stand', () => {
    expect(scanCodes('550 Requested action not taken').reply).toBe('550');
    expect(scanCodes('host said: 554 delivery error').reply).toBe('554');
    expect(scanCodes('more than 200 SMTP envelope recipients').reply).toBeNull();
    expect(scanCodes('Socket error code 10061').reply).toBeNull();
  });
  it('ranks remote replies above DSN Status and bare codes', () => {
    expect(code('Status: 5.0.0 Diagnostic-Code: smtp; 550 5.1.1 x')).toBe('5.1.1');
    expect(code('#5.0.0 smtp; 5.1.0 text')).toBe('5.1.0');
    expect(code("5.4.0 Remote Server returned '550 5.1.1 not found'")).toBe('5.1.1');
    expect(code('<<< 552 5.2.2 full\n554 5.0.0 Service unavailable')).toBe('5.2.2');
  });
});

describe('garbled tokens', () => {
  it.each([
    ['iv', 4],
    ['vii', 7],
    ['xiv', 14],
    ['x', 10],
    ['ane', 1],
    ['half-dozen', 6],
    ['Five', 5],
    ['iiii', -1],
    ['vx', -1],
  ])('%s → %d', (t, v) => expect(tokenValue(t)).toBe(v));
});

describe('extractEntities', () => {
  it('finds IPv4, IPv6, hosts, addresses and sub-codes', () => {
    const e = extractEntities(
      'Reason: [{LED=550 5.7.606 Access denied, banned sending IP [203.0.113.7] via 2001:db8::15 for Bob.Smith@Fabrikam.com (S3150)};{FQDN=mx.fabrikam.com};{IP=203.0.113.7};{LRT=11/20/2026 9:14:07 AM}]',
    );
    expect(e.ips).toEqual(['203.0.113.7', '2001:db8::15']);
    expect(e.domains).toEqual(['mx.fabrikam.com']);
    expect(e.addresses).toEqual(['bob.smith@fabrikam.com']);
    expect(e.sub_code).toBe('S3150');
  });
  it('does not take codes, versions, times or Exchange component names for entities', () => {
    const e = extractEntities(
      '554 5.2.2 STOREDRV.Deliver.Exception:QuotaExceededException; RESOLVER.ADR.RecipNotFound; id 15.20.9412.7 at 9:14:07 AM, 999.1.1.1',
    );
    expect(e).toEqual({ ips: [], domains: [], addresses: [], sub_code: null });
  });
  it('reads AS(…) and (AS…) sub-codes and IPs with ports', () => {
    expect(extractEntities('Access denied. AS(201806281)').sub_code).toBe('AS201806281');
    expect(extractEntities('blocked (AS16012607)').sub_code).toBe('AS16012607');
    expect(extractEntities('[LastAttemptedIP=203.0.113.77:25]').ips).toEqual(['203.0.113.77']);
    expect(extractEntities('full form 2001:0db8:0000:0000:0000:ff00:0042:8329 here').ips).toEqual([
      '2001:0db8:0000:0000:0000:ff00:0042:8329',
    ]);
  });
});

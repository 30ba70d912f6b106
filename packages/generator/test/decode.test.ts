/** Every valid record is JSON @ndr/events accepts, in the shape, tenant and message the plan says. */
import { describe, expect, it } from 'vitest';
import { createGenerator, type GenRecord } from '@ndr/generator';
import { messageKey } from '@ndr/writer';
import { decodeAll } from './helpers.js';

const records: GenRecord[] = [
  ...createGenerator({ events: 25_000, seed: 11, duplicateRatio: 0.15, malformed: 14, annotate: true }),
];
const valid = records.filter((r) => r.note?.reject === undefined);
const { decoded, rejected } = decodeAll(valid);
const SHAPE_OF_SCHEMA = {
  message_trace: ['message-trace-v2', 'message-trace-graph'],
  trace_detail: ['trace-detail-v2', 'trace-detail-graph'],
  ndr: ['ndr-dsn'],
};

describe('valid records decode', () => {
  it('decodes every valid record on its topic', () => {
    expect(rejected.map((r) => `${r.reason}: ${r.rec.value.toString('utf8').slice(0, 200)}`)).toEqual([]);
    expect(decoded.length).toBe(records.length - 14);
  });

  it('decodes to the tenant, shape and message key the plan recorded', () => {
    for (const { rec, event } of decoded) {
      expect(event.tenant).toBe(rec.note!.tenant);
      expect(SHAPE_OF_SCHEMA[event.schema]).toContain(rec.note!.shape);
      expect(messageKey(event)).toBe(rec.note!.messageKey);
    }
  });

  it('keys every record tenant|MessageTraceId with the canonical ids, so one message stays on one partition', () => {
    for (const { rec, event } of decoded) {
      const [tenant, id] = rec.key.split('|');
      expect(tenant).toBe(event.tenant);
      if (event.schema === 'message_trace' || event.schema === 'trace_detail') expect(id).toBe(event.message_trace_id);
      else expect(rec.note!.messageKey!.startsWith(event.message_trace_id ?? event.message_id!)).toBe(true);
    }
  });

  it('uses every shape and the documented field variants', () => {
    const shapes = new Set(decoded.map((d) => d.rec.note!.shape));
    expect([...shapes].sort()).toEqual([
      'message-trace-graph',
      'message-trace-v2',
      'ndr-dsn',
      'trace-detail-graph',
      'trace-detail-v2',
    ]);
    const text = valid.map((r) => r.value.toString('utf8')).join('\n');
    expect(text).toMatch(/"Received":"\/Date\(\d+\)\/"/); // Windows PowerShell 5.1 dates
    expect(text).toMatch(/"Received":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}"/); // PowerShell 7, no zone
    expect(text).toMatch(/"MessageTraceId":"[0-9A-F]{32}"/); // GUID without dashes
    expect(text).toMatch(/"status":"gettingStatus"/);
    expect(text).toMatch(/"Status":"Pending"/);
    expect(text).toMatch(/"final_recipient":"RFC822; /); // remote DSN style
    expect(text).toMatch(/"action":"relayed"/);
    expect(text).toMatch(/"Event":"Drop"/);
    expect(text).toMatch(/Reason: \[\{LED=550 5\.7\.509 Access denied, sending domain \[CONTOSO\.COM\]/);
    expect(text).toMatch(/\{IP=203\.0\.113\.\d+\};\{LRT=\d+\/\d+\/\d{4} \d+:\d\d:\d\d [AP]M\}\]/);
    expect(text).toMatch(/smtp;550-5\.1\.1 The email account that you tried to reach does not exist/);
    expect(text).toMatch(/- gsmtp/);
    expect(text).toMatch(/"direction":"outbound"/); // northwind/tailspin producers set it
  });

  it('uses only documentation IP ranges', () => {
    const ips = new Set<string>();
    for (const { event } of decoded) for (const ip of [event.from_ip, event.to_ip]) if (ip) ips.add(ip);
    for (const ip of ips) expect(ip).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/);
    expect(ips.size).toBeGreaterThan(20);
  });

  it('re-emits duplicates byte for byte, later in the stream', () => {
    const position = new Map<string, number>();
    let dups = 0;
    records.forEach((r, i) => {
      const k = `${r.topic}|${r.value.toString('base64')}`;
      if (r.note?.duplicate) {
        dups++;
        expect(position.get(k)).toBeLessThan(i);
      } else if (r.note?.reject === undefined) position.set(k, i);
    });
    expect(dups / valid.length).toBeGreaterThan(0.1);
  });

  it('reports a row first as Pending/GettingStatus and later, under the same key, as final', () => {
    const firstSeen = new Map<string, { index: number; status: string }>();
    let moved = 0;
    decoded.forEach(({ event }, i) => {
      if (event.schema !== 'message_trace') return;
      const prev = firstSeen.get(event.natural_key);
      if (prev === undefined) firstSeen.set(event.natural_key, { index: i, status: event.status });
      else if (!event.terminal || prev.status === event.status) return;
      else {
        expect(['pending', 'getting_status']).toContain(prev.status);
        expect(prev.index).toBeLessThan(i);
        moved++;
      }
    });
    expect(moved).toBeGreaterThan(100);
  });

  it('reports one bounce as a detail Fail event and as an NDR with the same message key', () => {
    const failKeys = new Set(decoded.filter((d) => d.event.status === 'fail').map((d) => d.rec.note!.messageKey));
    const ndrKeys = decoded
      .filter((d) => d.event.schema === 'ndr' && d.event.status === 'failed')
      .map((d) => d.rec.note!.messageKey);
    const shared = ndrKeys.filter((k) => failKeys.has(k));
    // The rest are remote late bounces (the trace row says Delivered) and NDRs keyed by Message-ID.
    expect(shared.length).toBeGreaterThan(0.7 * ndrKeys.length);
  });
});

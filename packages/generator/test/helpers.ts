/**
 * Test helpers: decode generated records with the real pipeline code (@ndr/events, @ndr/classifier and the
 * writer's row rules) and recount, the plain way, everything the ground truth claims. If the generator's
 * own plan-based truth and this recount agree, the truth follows the views' definitions.
 */
import { createClassifier, loadCatalog, type Classification } from '@ndr/classifier';
import { decodeEvent, type NormalizedEvent } from '@ndr/events';
import { bucketOf, isBounce, messageKey } from '@ndr/writer';
import type { Expected, GenRecord, MessageCounts, TenantExpected } from '@ndr/generator';

export const classifier = createClassifier(loadCatalog());

export interface Decoded {
  rec: GenRecord;
  event: NormalizedEvent;
  c: Classification;
}

/** Same call the consumer makes: the diagnostic text, with the event's explicit status code as a hint. */
export function classifyEvent(e: NormalizedEvent): Classification {
  return classifier.classify(e.diagnostic ?? '', e.status_code ? { statusCode: e.status_code } : undefined);
}

export function decodeAll(records: Iterable<GenRecord>): {
  decoded: Decoded[];
  rejected: Array<{ rec: GenRecord; reason: string }>;
} {
  const decoded: Decoded[] = [];
  const rejected: Array<{ rec: GenRecord; reason: string }> = [];
  for (const rec of records) {
    const r = decodeEvent(rec.topic, rec.value);
    if (r.ok) decoded.push({ rec, event: r.event, c: classifyEvent(r.event) });
    else rejected.push({ rec, reason: r.reason });
  }
  return { decoded, rejected };
}

const FILTERED = ['quarantined', 'filtered_as_spam'];

function countInto<K>(map: Map<K, Set<string>>, key: K, member: string): void {
  let s = map.get(key);
  if (s === undefined) map.set(key, (s = new Set()));
  s.add(member);
}

const minuteIso = (bucketSeconds: number) => new Date(bucketSeconds * 1000).toISOString().replace('.000Z', 'Z');

/** Recount per tenant from decoded events, the way the ClickHouse views define the numbers. */
export function recount(
  decoded: readonly Decoded[],
): Record<string, Omit<TenantExpected, 'label' | 'domain' | 'relayIp' | 'producerSetsDirection'>> {
  interface Acc {
    records: Record<string, number>;
    rows: Map<string, Set<string>>;
    statuses: Map<string, Set<string>>;
    bounces: Map<string, Set<string>>;
    events: Map<string, Set<string>>;
    perMinute: Map<string, Set<string>>;
  }
  const acc = new Map<string, Acc>();
  for (const { event: e, c } of decoded) {
    let a = acc.get(e.tenant);
    if (a === undefined) {
      acc.set(
        e.tenant,
        (a = {
          records: { message_trace: 0, trace_detail: 0, ndr: 0 },
          rows: new Map(),
          statuses: new Map(),
          bounces: new Map(),
          events: new Map(),
          perMinute: new Map(),
        }),
      );
    }
    a.records[e.schema] = (a.records[e.schema] ?? 0) + 1;
    countInto(a.rows, e.schema, e.natural_key);
    const key = messageKey(e);
    if (e.schema === 'message_trace') countInto(a.statuses, key, e.status);
    if (isBounce(e, c)) {
      const code = c.code ?? '';
      countInto(a.bounces, code, key);
      countInto(a.events, code, e.natural_key);
      countInto(a.perMinute, `${code} ${minuteIso(bucketOf(e.event_time_ms))}`, key);
    }
  }
  const out: ReturnType<typeof recount> = {};
  for (const [tenant, a] of acc) {
    const messages: MessageCounts = { total: 0, delivered: 0, failed: 0, filtered: 0, other: 0, pending: 0 };
    for (const statuses of a.statuses.values()) {
      messages.total++;
      const terminal = [...statuses].filter((s) => s !== 'pending' && s !== 'getting_status');
      if (terminal.length === 0) messages.pending++;
      else if (terminal.includes('delivered')) messages.delivered++;
      else if (terminal.includes('failed')) messages.failed++;
      else if (terminal.some((s) => FILTERED.includes(s))) messages.filtered++;
      else messages.other++;
    }
    const sizes = (m: Map<string, Set<string>>) => Object.fromEntries([...m].map(([k, s]) => [k, s.size]));
    const perMinute: Record<string, Record<string, number>> = {};
    for (const [k, s] of a.perMinute) {
      const [code, minute] = k.split(' ') as [string, string];
      (perMinute[code] ??= {})[minute] = s.size;
    }
    out[tenant] = {
      records: a.records as TenantExpected['records'],
      rows: {
        message_trace: a.rows.get('message_trace')?.size ?? 0,
        trace_detail: a.rows.get('trace_detail')?.size ?? 0,
        ndr: a.rows.get('ndr')?.size ?? 0,
      },
      messages,
      bounces: sizes(a.bounces),
      bounceEvents: sizes(a.events),
      bouncesPerMinute: perMinute,
    };
  }
  return out;
}

/** The comparable part of the ground truth (key order ignored by toEqual). */
export function truthPart(e: Expected): ReturnType<typeof recount> {
  const out: ReturnType<typeof recount> = {};
  for (const [tenant, t] of Object.entries(e.tenants)) {
    const { label: _l, domain: _d, relayIp: _r, producerSetsDirection: _p, ...rest } = t;
    out[tenant] = rest;
  }
  return out;
}

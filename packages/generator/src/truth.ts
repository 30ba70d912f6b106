/**
 * The ground truth, computed from the plan (never by decoding or classifying the records), with the
 * same definitions as the ClickHouse views (see README "Ground truth"):
 *
 * - message key = `(message_trace_id or, for an NDR without the original's network id, its Message-ID)|recipient`
 *   (canonical: lower-case GUID and address, Message-ID byte-exact);
 * - `messages`: distinct message keys of trace rows, split by the best status the key reached
 *   (delivered / failed / filtered = quarantined+filtered_as_spam / other = expanded); `pending` = keys with
 *   no terminal status (only getting_status / pending rows);
 * - `bounces[code]`: distinct message keys among bounce records (detail Fail/Defer/Drop events with a non-2xx
 *   reply, NDRs with action failed/delayed), `code` = the enhanced code written in the reply;
 * - `bounceEvents[code]`: distinct natural keys among those records; `rows`: distinct natural keys per topic.
 *
 * Message keys are unique per message by construction (the MessageTraceId carries a per-run counter), so
 * the per-message sets below add up to exact totals without a global set: memory stays constant.
 */
import type { ExpectedRejectReason, Message, ShapeName, TopicKind, TraceStatus } from './types.js';
import { minuteKey } from './time-format.js';
import type { Tenant } from './world.js';

export interface MessageCounts {
  /** Distinct message keys with at least one trace row (= `messages_total`). */
  total: number;
  delivered: number;
  failed: number;
  /** Quarantined or FilteredAsSpam (= the view's `filtered`). */
  filtered: number;
  /** Other terminal statuses (Expanded distribution-list rows). */
  other: number;
  /** No terminal status yet (= `messages_total - terminal_messages`). */
  pending: number;
}

export type PerTopic = Record<TopicKind, number>;

export interface TenantExpected {
  label: string;
  domain: string;
  relayIp: string;
  /** The tenant's records carry the producer `direction` field (its mail domain does not match its tenant name). */
  producerSetsDirection: boolean;
  /** Valid Kafka records (duplicates included). */
  records: PerTopic;
  /** Distinct natural keys per topic kind: the row count of `events FINAL` per schema. */
  rows: PerTopic;
  messages: MessageCounts;
  /** code → distinct bounced message keys. */
  bounces: Record<string, number>;
  /** code → distinct natural keys of bounce records. */
  bounceEvents: Record<string, number>;
  /** code → minute (`2026-11-20T08:41:00Z`) → distinct bounced message keys in that minute bucket. */
  bouncesPerMinute: Record<string, Record<string, number>>;
}

export interface RecordTotals {
  /** Every Kafka record produced (= options.events). */
  total: number;
  /** Records the pipeline should accept (duplicates included). */
  valid: number;
  /** Of the valid records, re-emitted identical copies. */
  duplicates: number;
  malformed: number;
  byTopic: PerTopic;
  byShape: Record<ShapeName, number>;
}

const RANK: Record<TraceStatus, number> = {
  getting_status: 0,
  pending: 0,
  expanded: 1,
  quarantined: 2,
  filtered_as_spam: 2,
  failed: 3,
  delivered: 4,
};
const KIND_INDEX = { trace: 0, detail: 1, ndr: 2 } as const;
const TOPICS: readonly TopicKind[] = ['message_trace', 'trace_detail', 'ndr'];
const SHAPES: readonly ShapeName[] = [
  'message-trace-v2',
  'trace-detail-v2',
  'ndr-dsn',
  'message-trace-graph',
  'trace-detail-graph',
  'ndr-dsn',
];

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Per-tenant counters in plain numbers and maps (hot path); turned into TenantExpected at the end. */
class TenantAcc {
  readonly records = [0, 0, 0];
  readonly rows = [0, 0, 0];
  /** total, delivered, failed, filtered, other, pending */
  readonly messages = [0, 0, 0, 0, 0, 0];
  readonly bounces = new Map<string, number>();
  readonly bounceEvents = new Map<string, number>();
  /** code → epoch minute → count */
  readonly perMinute = new Map<string, Map<number, number>>();
  constructor(readonly tenant: Tenant) {}

  result(): TenantExpected {
    const t = this.tenant;
    const topics = (a: number[]): PerTopic => ({ message_trace: a[0]!, trace_detail: a[1]!, ndr: a[2]! });
    const m = this.messages;
    const perMinute: Record<string, Record<string, number>> = {};
    for (const [code, byMinute] of this.perMinute) {
      const o: Record<string, number> = {};
      for (const [minute, n] of [...byMinute].sort(([a], [b]) => a - b)) o[minuteKey(minute * 60_000)] = n;
      perMinute[code] = o;
    }
    return {
      label: t.label,
      domain: t.domain,
      relayIp: t.relayIp,
      producerSetsDirection: t.producerSetsDirection,
      records: topics(this.records),
      rows: topics(this.rows),
      messages: { total: m[0]!, delivered: m[1]!, failed: m[2]!, filtered: m[3]!, other: m[4]!, pending: m[5]! },
      bounces: sortKeys(Object.fromEntries(this.bounces)),
      bounceEvents: sortKeys(Object.fromEntries(this.bounceEvents)),
      bouncesPerMinute: sortKeys(perMinute),
    };
  }
}

/** Status rank → index in TenantAcc.messages (pending 5, other 4, filtered 3, failed 2, delivered 1). */
const RANK_SLOT = [5, 4, 3, 2, 1];

export class TruthBuilder {
  private readonly acc = new Map<string, TenantAcc>();
  private readonly byTopic = [0, 0, 0];
  /** v2 trace, v2 detail, ndr, graph trace, graph detail, ndr */
  private readonly byShape = [0, 0, 0, 0, 0, 0];
  private duplicates = 0;
  private malformed = 0;
  private readonly deadByReason = new Map<ExpectedRejectReason, number>();
  private readonly deadByTopic = [0, 0, 0];
  private readonly best: number[] = [];
  private readonly ndrKeys = new Set<string>();
  private readonly tenantOrder: readonly Tenant[];

  constructor(tenants: readonly Tenant[]) {
    this.tenantOrder = tenants;
    for (const t of tenants) this.acc.set(t.id, new TenantAcc(t));
  }

  addMessage(msg: Message): void {
    const t = this.acc.get(msg.tenant.id)!;
    const shapeBase = msg.surface === 'graph' ? 3 : 0;
    const best = this.best;
    best.length = msg.rcpts.length + 1;
    best.fill(-1);
    let bounces: Set<string> | null = null;
    let events: Set<string> | null = null;
    let minutes: Set<string> | null = null;
    // Detail events are distinct by construction (event name and second differ per recipient); NDRs are
    // not (repeated delay notices share a natural key), so those keys go through a set.
    let details = 0;
    const ndrs = this.ndrKeys;
    ndrs.clear();

    for (const rec of msg.recs) {
      const k = KIND_INDEX[rec.kind];
      const copies = rec.dup >= 0 ? 2 : 1;
      t.records[k]! += copies;
      this.byTopic[k]! += copies;
      this.byShape[shapeBase + k]! += copies;
      this.duplicates += copies - 1;

      let messageKey: string | null = null;
      let eventKey = '';
      if (rec.kind === 'trace') {
        const i = rec.r + 1;
        const rank = RANK[rec.status];
        if (rank > best[i]!) best[i] = rank;
        continue;
      } else if (rec.kind === 'detail') {
        details++;
        if (rec.reply?.bounce && (rec.event === 'Fail' || rec.event === 'Defer' || rec.event === 'Drop')) {
          messageKey = `n|${rec.r}`;
          eventKey = `td|${rec.r}|${rec.event}|${Math.floor(rec.t / 1000)}`;
        }
      } else {
        const form = rec.nmid ? 'n' : 'm';
        eventKey = `ndr|${form}|${rec.r}|${rec.action}`;
        ndrs.add(eventKey);
        if (rec.reply?.bounce && (rec.action === 'failed' || rec.action === 'delayed')) messageKey = `${form}|${rec.r}`;
      }
      if (messageKey !== null) {
        const code = rec.reply!.code;
        (bounces ??= new Set()).add(`${code} ${messageKey}`);
        (events ??= new Set()).add(`${code} ${eventKey}`);
        (minutes ??= new Set()).add(`${code} ${Math.floor(rec.t / 60_000)} ${messageKey}`);
      }
    }

    for (let i = 0; i < best.length; i++) {
      const b = best[i]!;
      if (b < 0) continue;
      t.rows[0]!++;
      t.messages[0]!++;
      t.messages[RANK_SLOT[b]!]!++;
    }
    t.rows[1]! += details;
    t.rows[2]! += ndrs.size;
    if (bounces) for (const key of bounces) bump(t.bounces, key.slice(0, key.indexOf(' ')));
    if (events) for (const key of events) bump(t.bounceEvents, key.slice(0, key.indexOf(' ')));
    if (minutes) {
      for (const key of minutes) {
        const [code, minute] = key.split(' ') as [string, string];
        let m = t.perMinute.get(code);
        if (m === undefined) t.perMinute.set(code, (m = new Map()));
        bump(m, Number(minute));
      }
    }
  }

  addMalformed(topic: TopicKind, reason: ExpectedRejectReason): void {
    this.malformed++;
    this.deadByTopic[TOPICS.indexOf(topic)]!++;
    bump(this.deadByReason, reason);
  }

  records(): RecordTotals {
    const byShape = {
      'message-trace-v2': 0,
      'message-trace-graph': 0,
      'trace-detail-v2': 0,
      'trace-detail-graph': 0,
      'ndr-dsn': 0,
    } as Record<ShapeName, number>;
    this.byShape.forEach((n, i) => (byShape[SHAPES[i]!] += n));
    const valid = this.byTopic[0]! + this.byTopic[1]! + this.byTopic[2]!;
    return {
      total: valid + this.malformed,
      valid,
      duplicates: this.duplicates,
      malformed: this.malformed,
      byTopic: { message_trace: this.byTopic[0]!, trace_detail: this.byTopic[1]!, ndr: this.byTopic[2]! },
      byShape,
    };
  }

  deadLetters(): { total: number; byReason: Partial<Record<ExpectedRejectReason, number>>; byTopic: PerTopic } {
    const byReason: Partial<Record<ExpectedRejectReason, number>> = {};
    for (const [reason, n] of [...this.deadByReason].sort(([a], [b]) => a.localeCompare(b))) byReason[reason] = n;
    const d = this.deadByTopic;
    return { total: this.malformed, byReason, byTopic: { message_trace: d[0]!, trace_detail: d[1]!, ndr: d[2]! } };
  }

  tenants(): Array<[string, TenantExpected]> {
    return this.tenantOrder.map((t) => [t.id, this.acc.get(t.id)!.result()]);
  }
}

/** Deterministic key order (codes in numeric order) for stable JSON. */
function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })));
}

export function sumCounts(list: readonly MessageCounts[]): MessageCounts {
  const s: MessageCounts = { total: 0, delivered: 0, failed: 0, filtered: 0, other: 0, pending: 0 };
  for (const c of list) for (const k of Object.keys(s) as (keyof MessageCounts)[]) s[k] += c[k];
  return s;
}

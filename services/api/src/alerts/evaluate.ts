/**
 * Rule → findings for one evaluation time `now` (epoch seconds, event time). Reads only the
 * read path (agg_minute states, events FINAL); every value reaches SQL through `sql`.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Catalog } from '@ndr/classifier';
import { identifier, inList, queryRows, raw, sql } from '@ndr/clickhouse';
import { detectSpike } from './spike.js';
import type { Rule } from './rules.js';
import type { Finding } from './types.js';

export interface EvalContext {
  readonly client: ClickHouseClient;
  readonly database: string;
  readonly catalog: Catalog;
}

const rows = <T>(ctx: EvalContext, query: string) => queryRows<T>(ctx.client, query);

/** Catalogue entries that carry a tag (the alert rules key on tags, the tables store entry ids). */
export function entriesWithTag(catalog: Catalog, tag: string): string[] {
  return catalog.entries.filter((e) => (e.alert_tags as readonly string[]).includes(tag)).map((e) => e.id);
}

export async function evaluateRule(ctx: EvalContext, rule: Rule, now: number): Promise<Finding[]> {
  const db = identifier(ctx.database).text;
  const from = now - rule.window;
  const window = sql`bucket >= toDateTime(${from}, 'UTC') AND bucket < toDateTime(${now}, 'UTC')`;
  if (rule.kind === 'tag') {
    const entries = entriesWithTag(ctx.catalog, rule.tag);
    if (entries.length === 0) return [];
    if (rule.group_by === 'tenant_sender') {
      const r = await rows<{
        tenant: string;
        sender: string;
        first_code: string;
        first_entry: string;
        n: number;
        first: number;
        last: number;
      }>(
        ctx,
        sql`SELECT tenant, sender, any(code) AS first_code, any(entry) AS first_entry, uniqExact(message_key) AS n,
              toUInt32(min(event_time)) AS first, toUInt32(max(event_time)) AS last
            FROM ${raw(db)}.events FINAL
            WHERE event_time >= toDateTime(${from}, 'UTC') AND event_time < toDateTime(${now}, 'UTC') AND entry IN ${inList(entries)}
            GROUP BY tenant, sender HAVING n >= ${rule.min_count}`.text,
      );
      return r.map((x) => ({
        rule: rule.id,
        subject: x.sender,
        tenant: x.tenant,
        ip: '',
        sender: x.sender,
        code: x.first_code,
        entry: x.first_entry,
        count: x.n,
        window_start: from,
        window_end: now,
        last_seen: x.last,
        detail: `${x.n} bounces with ${x.first_code} for ${x.sender}`,
      }));
    }
    const byIp = rule.group_by === 'tenant_ip';
    const r = await rows<{
      tenant: string;
      ip: string;
      first_code: string;
      first_entry: string;
      n: number;
      last: number;
    }>(
      ctx,
      sql`SELECT tenant, ${raw(byIp ? 'ip' : "''")} AS ip, any(code) AS first_code, any(entry) AS first_entry,
            uniqExactMerge(messages) AS n, toUInt32(max(bucket)) AS last
          FROM ${raw(db)}.agg_minute
          WHERE bounce = 1 AND ${window} AND entry IN ${inList(entries)} ${raw(byIp ? "AND ip != ''" : '')}
          GROUP BY tenant, ip HAVING n >= ${rule.min_count}`.text,
    );
    return r.map((x) => ({
      rule: rule.id,
      subject: x.ip,
      tenant: x.tenant,
      ip: x.ip,
      sender: '',
      code: x.first_code,
      entry: x.first_entry,
      count: x.n,
      window_start: from,
      window_end: now,
      last_seen: x.last,
      detail: `${x.n} bounces with ${x.first_code}${x.ip ? ` naming ${x.ip}` : ''} in ${rule.window / 60} min`,
    }));
  }
  if (rule.kind === 'spike') {
    const codes = rule.codes.length
      ? sql`code IN ${inList(rule.codes)}`
      : sql`entry IN ${inList(entriesWithTag(ctx.catalog, rule.tag!))}`;
    const start = now - rule.window - rule.baseline;
    const key = rule.per === 'tenant' ? raw('tenant') : raw("''");
    const r = await rows<{ tenant: string; code: string; first_entry: string; t: number; n: number }>(
      ctx,
      sql`SELECT ${key} AS tenant, code, any(entry) AS first_entry, toUInt32(bucket) AS t, uniqExactMerge(messages) AS n
          FROM ${raw(db)}.agg_minute
          WHERE bounce = 1 AND bucket >= toDateTime(${start}, 'UTC') AND bucket < toDateTime(${now}, 'UTC') AND ${codes}
          GROUP BY tenant, code, t`.text,
    );
    const series = new Map<string, { tenant: string; code: string; entry: string; perMinute: Map<number, number> }>();
    for (const x of r) {
      const k = `${x.tenant}|${x.code}`;
      const s = series.get(k) ?? { tenant: x.tenant, code: x.code, entry: x.first_entry, perMinute: new Map() };
      s.perMinute.set(x.t, x.n);
      series.set(k, s);
    }
    const out: Finding[] = [];
    for (const s of series.values()) {
      const minutes = (a: number, b: number) =>
        Array.from({ length: (b - a) / 60 }, (_, i) => s.perMinute.get(a + i * 60) ?? 0);
      const baseline = minutes(start, now - rule.window);
      const current = minutes(now - rule.window, now);
      const v = detectSpike(baseline, current, {
        minPerMinute: rule.min_per_minute,
        z: rule.z,
        ratio: rule.ratio,
        minSigma: 1,
      });
      if (v.spike) {
        const last = Math.max(...[...s.perMinute.keys()].filter((t) => t >= now - rule.window));
        out.push({
          rule: rule.id,
          subject: s.code,
          tenant: s.tenant,
          ip: '',
          sender: '',
          code: s.code,
          entry: s.entry,
          count: current.reduce((a, b) => a + b, 0),
          window_start: now - rule.window,
          window_end: now,
          last_seen: last,
          detail: v.why,
        });
      }
    }
    return out;
  }
  const r = await rows<{ tenant: string; total: number; failed: number; last: number }>(
    ctx,
    sql`SELECT tenant, uniqExactMerge(messages) AS total, uniqExactMergeIf(messages, status = 'failed') AS failed,
          toUInt32(max(bucket)) AS last
        FROM ${raw(db)}.agg_minute WHERE schema = 'message_trace' AND ${window}
        GROUP BY tenant HAVING total >= ${rule.min_messages} AND failed / total > ${rule.threshold}`.text,
  );
  return r.map((x) => ({
    rule: rule.id,
    subject: '',
    tenant: x.tenant,
    ip: '',
    sender: '',
    code: '',
    entry: '',
    count: x.failed,
    window_start: from,
    window_end: now,
    last_seen: x.last,
    detail: `${x.failed} of ${x.total} messages failed (${((100 * x.failed) / x.total).toFixed(1)}%)`,
  }));
}

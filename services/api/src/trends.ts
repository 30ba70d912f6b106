/**
 * Trend and top-list queries. Every number merges agg_minute's uniqExact states over the asked
 * window and grain, so it is exact at any grain (never a sum of per-minute distinct counts).
 * Values reach SQL only through `sql` (escaped literals): 18.16 has no query parameters.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Classifier } from '@ndr/classifier';
import { identifier, queryRows, raw, sql, type SqlFragment } from '@ndr/clickhouse';
import { BY, type TrendQuery } from './query.js';

function where(q: TrendQuery, extra: SqlFragment): SqlFragment {
  let w = sql`bucket >= toDateTime(${q.from}, 'UTC') AND bucket < toDateTime(${q.to}, 'UTC') AND ${extra}`;
  if (q.tenant) w = sql`${w} AND tenant = ${q.tenant}`;
  if (q.code) w = sql`${w} AND code = ${q.code}`;
  return w;
}

const table = (db: string) => raw(`${identifier(db).text}.agg_minute`);
const column = (q: TrendQuery) => raw(BY[q.by]);
const BOUNCES = raw('bounce = 1');

/** Bounced messages per step and key, for the `limit` keys with most bounces in the window. */
export function seriesSql(db: string, q: TrendQuery): string {
  const w = where(q, BOUNCES);
  const step = q.stepSeconds;
  return sql`SELECT toUInt32(intDiv(toUInt32(bucket), ${step}) * ${step}) AS t, ${column(q)} AS key,
      toUInt64(uniqExactMerge(messages)) AS bounced
    FROM ${table(db)}
    WHERE ${w} AND ${column(q)} IN (
      SELECT key FROM (
        SELECT ${column(q)} AS key, uniqExactMerge(messages) AS n FROM ${table(db)} WHERE ${w}
        GROUP BY key ORDER BY n DESC, key LIMIT ${q.limit}))
    GROUP BY t, key ORDER BY t, key`.text;
}

/** The keys with most bounced messages in the window, with the catalogue entries seen under them. */
export function topSql(db: string, q: TrendQuery): string {
  return sql`SELECT ${column(q)} AS key, toUInt64(uniqExactMerge(messages)) AS bounced,
      toUInt64(uniqExactMerge(events)) AS events, groupUniqArray(entry) AS entries,
      groupUniqArray(reason) AS reasons, toUInt32(min(bucket)) AS first_seen, toUInt32(max(bucket)) AS last_seen
    FROM ${table(db)} WHERE ${where(q, BOUNCES)}
    GROUP BY key ORDER BY bounced DESC, key LIMIT ${q.limit}`.text;
}

/** Messages and failed messages (trace rows) per step and tenant or domain: the bounce rate. */
export function rateSql(db: string, q: TrendQuery): string {
  const key =
    q.by === 'sender_domain' ? raw('sender_domain') : q.by === 'domain' ? raw('recipient_domain') : raw('tenant');
  const step = q.stepSeconds;
  return sql`SELECT toUInt32(intDiv(toUInt32(bucket), ${step}) * ${step}) AS t, ${key} AS key,
      toUInt64(uniqExactMergeIf(messages, status = 'failed')) AS failed,
      toUInt64(uniqExactMerge(messages)) AS total
    FROM ${table(db)} WHERE ${where({ ...q, code: undefined } as TrendQuery, raw("schema = 'message_trace'"))}
    GROUP BY t, key ORDER BY t, key`.text;
}

export interface SeriesPoint {
  t: number;
  key: string;
  bounced: number;
}

export interface TopRow {
  key: string;
  bounced: number;
  events: number;
  entries: string[];
  reasons: string[];
  first_seen: number;
  last_seen: number;
  /** Catalogue knowledge for the main entry: what it is, what to do, who acts. */
  title?: string;
  fix?: string;
  who_acts?: readonly string[];
}

export interface RatePoint {
  t: number;
  key: string;
  messages: number;
  failed: number;
  rate: number;
}

export interface Trends {
  series(q: TrendQuery): Promise<SeriesPoint[]>;
  top(q: TrendQuery): Promise<TopRow[]>;
  rate(q: TrendQuery): Promise<RatePoint[]>;
}

export function createTrends(client: ClickHouseClient, database: string, classifier?: Classifier): Trends {
  const rows = <T>(query: string) => queryRows<T>(client, query);
  return {
    series: (q) => rows<SeriesPoint>(seriesSql(database, q)),
    rate: async (q) =>
      (await rows<{ t: number; key: string; total: number; failed: number }>(rateSql(database, q))).map(
        ({ total, ...r }) => ({ ...r, messages: total, rate: total ? r.failed / total : 0 }),
      ),
    async top(q) {
      const out = await rows<TopRow>(topSql(database, q));
      if (!classifier) return out;
      return out.map((r) => {
        const entry = r.entries.find((e) => e !== '');
        if (!entry) return r;
        const x = classifier.explain(entry);
        return x.entry ? { ...r, title: x.title, fix: x.fix, who_acts: x.who_acts } : r;
      });
    },
  };
}

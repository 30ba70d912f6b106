/**
 * What the connected server can do. 18.16 (the only server packaged here) lacks
 * TTL, query parameters, async inserts and insert dedup tokens; current servers
 * have them. Callers ask `features` instead of comparing versions themselves.
 */
import type { ClickHouseClient } from '@clickhouse/client';

export interface ServerFeatures {
  /** `TTL` on MergeTree tables (19.6+). */
  readonly ttl: boolean;
  /** `{name:Type}` query parameters over HTTP (19.x+; 18.16 answers Code 115). */
  readonly queryParams: boolean;
  /** `async_insert` setting (21.11+). */
  readonly asyncInsert: boolean;
  /** `insert_deduplication_token` setting (22.x+). */
  readonly insertDeduplicationToken: boolean;
  /** LowCardinality needs `allow_experimental_low_cardinality_type=1` on CREATE (18.x). */
  readonly lowCardinalityNeedsSetting: boolean;
  /** `JSONCompactEachRow` input/output format. */
  readonly jsonCompactEachRow: boolean;
}

export interface ServerInfo {
  readonly version: string;
  readonly major: number;
  readonly minor: number;
  readonly features: ServerFeatures;
}

export function parseVersion(version: string): { major: number; minor: number } {
  const m = /^(\d+)\.(\d+)/.exec(version.trim());
  if (!m) throw new Error(`unrecognised ClickHouse version string: ${JSON.stringify(version)}`);
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/** At least `major.minor`. */
const atLeast = (v: { major: number; minor: number }, major: number, minor: number) =>
  v.major > major || (v.major === major && v.minor >= minor);

export async function detectServer(client: ClickHouseClient): Promise<ServerInfo> {
  const rows = await query<{ v: string }>(client, 'SELECT version() AS v');
  const version = rows[0]?.v ?? '';
  const v = parseVersion(version);
  const settings = new Set(
    (
      await query<{ name: string }>(
        client,
        `SELECT name FROM system.settings WHERE name IN
           ('async_insert', 'insert_deduplication_token', 'allow_experimental_low_cardinality_type')`,
      )
    ).map((r) => r.name),
  );
  const formats = new Set(
    (await query<{ name: string }>(client, "SELECT name FROM system.formats WHERE name = 'JSONCompactEachRow'")).map(
      (r) => r.name,
    ),
  );
  return Object.freeze({
    version,
    ...v,
    features: Object.freeze({
      ttl: atLeast(v, 19, 6),
      queryParams: atLeast(v, 19, 11),
      asyncInsert: settings.has('async_insert'),
      insertDeduplicationToken: settings.has('insert_deduplication_token'),
      lowCardinalityNeedsSetting: v.major < 19 && settings.has('allow_experimental_low_cardinality_type'),
      jsonCompactEachRow: formats.has('JSONCompactEachRow'),
    }),
  });
}

async function query<T>(client: ClickHouseClient, text: string): Promise<T[]> {
  const rs = await client.query({ query: text, format: 'JSONEachRow' });
  return rs.json<T>();
}

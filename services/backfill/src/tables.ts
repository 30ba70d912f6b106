/** Refuses clearly when ClickHouse lacks the pipeline's tables. */
import type { ClickHouseClient } from '@clickhouse/client';
import { quoteString } from '@ndr/clickhouse';
import { BackfillError } from './errors.js';

/** The writer's target, its materialized view (migration 004) and the view's target. */
export const REQUIRED_TABLES = ['events', 'agg_minute_events_mv', 'agg_minute'] as const;

export async function checkTables(client: ClickHouseClient, database: string): Promise<void> {
  const rs = await client.query({
    query: `SELECT name FROM system.tables WHERE database = ${quoteString(database)}`,
    format: 'JSONEachRow',
  });
  const have = new Set((await rs.json<{ name: string }>()).map((r) => r.name));
  const missing = REQUIRED_TABLES.filter((t) => !have.has(t));
  if (missing.length > 0) {
    throw new BackfillError(
      'tables_missing',
      `ClickHouse database ${database} lacks ${missing.join(', ')}: run \`npx ndr migrate\` first`,
    );
  }
}

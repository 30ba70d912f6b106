import type { ClickHouseClient } from '@clickhouse/client';

/**
 * Rows of a SELECT as objects: 64-bit integers as JSON numbers (18.16 quotes them by default),
 * and `wait_end_of_query` so a late server error is an HTTP error, not a last line of a 200 body.
 */
export async function queryRows<T>(client: ClickHouseClient, query: string): Promise<T[]> {
  const rs = await client.query({
    query,
    format: 'JSONEachRow',
    clickhouse_settings: { output_format_json_quote_64bit_integers: 0, wait_end_of_query: 1 },
  });
  return rs.json<T>();
}

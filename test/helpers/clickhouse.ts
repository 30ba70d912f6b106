/** Per-test ClickHouse isolation: a random database, dropped afterwards. */
import type { ClickHouseClient } from '@clickhouse/client';
import { connectionsFromEnv } from '@ndr/config';
import { createClickHouseClient, identifier } from '@ndr/clickhouse';
import { randomName } from './names.js';

export interface TestDatabase {
  readonly name: string;
  /** A client whose default database is this one. */
  readonly client: ClickHouseClient;
  /** Rows of a query as objects, 64-bit integers converted to numbers. */
  rows<T = Record<string, unknown>>(query: string): Promise<T[]>;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const conn = connectionsFromEnv(process.env).clickhouse;
  const name = randomName(prefix);
  const admin = createClickHouseClient(conn, { database: null });
  await admin.command({ query: `CREATE DATABASE ${identifier(name).text}` });
  await admin.close();
  const client = createClickHouseClient(conn, { database: name });
  return {
    name,
    client,
    async rows<T>(query: string) {
      const rs = await client.query({
        query,
        format: 'JSONEachRow',
        clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
      });
      return rs.json<T>();
    },
    async drop() {
      await client.command({ query: `DROP DATABASE IF EXISTS ${identifier(name).text}` });
      await client.close();
    },
  };
}

/**
 * The SQL must work on ClickHouse 18.16 (Debian's package, the local server) and on current
 * ClickHouse (users run 24.x+). This runs every migration and a read-path probe on both —
 * the local server and chdb (ClickHouse 2x, in-process, from PyPI) — and compares the answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MIGRATIONS_DIR,
  detectServer,
  migrate,
  readMigrations,
  type Migration,
  type ServerFeatures,
} from '@ndr/clickhouse';
import { createTestDatabase, type TestDatabase } from '../helpers/clickhouse.js';
import { chdb } from '../helpers/chdb.js';

const MODERN: ServerFeatures = {
  ttl: true,
  queryParams: true,
  asyncInsert: true,
  insertDeduplicationToken: true,
  lowCardinalityNeedsSetting: false,
  jsonCompactEachRow: true,
};

/** The same aggregate batch twice (a replay), then the exact-total views. */
function probe(db: string): { writes: string[]; reads: string[] } {
  const row = (status: string, terminal: number, bounce: number, code: string, mk: string[], ek: string[]) =>
    JSON.stringify({
      bucket: 1795166040,
      tenant: 'contoso.onmicrosoft.com',
      schema: bounce ? 'trace_detail' : 'message_trace',
      direction: 'outbound',
      status,
      terminal,
      bounce,
      code,
      entry: code ? `exo.${code}` : '',
      reason: code ? 'auth_failure' : '',
      category: '',
      class: code ? 'permanent' : '',
      sender_domain: 'contoso.com',
      recipient_domain: 'fabrikam.com',
      ip: code ? '203.0.113.5' : '',
      message_keys: mk,
      event_keys: ek,
    });
  const batch = [
    row('pending', 0, 0, '', ['m1', 'm2', 'm3', 'm4'], ['e1', 'e2', 'e3', 'e4']),
    row('delivered', 1, 0, '', ['m1', 'm2'], ['e1', 'e2']),
    row('failed', 1, 0, '', ['m3'], ['e3']),
    row('fail', 1, 1, '5.7.509', ['m3', 'm5'], ['d3', 'd5']),
  ].join('\n');
  const insert = `INSERT INTO ${db}.agg_minute_input FORMAT JSONEachRow\n${batch}`;
  return {
    writes: [insert, insert],
    reads: [
      `SELECT tenant, toUInt32(messages_total), toUInt32(delivered), toUInt32(failed), toUInt32(pending) FROM ${db}.v_message_totals_minute FORMAT TSV`,
      `SELECT code, entry, toUInt32(bounced_messages), toUInt32(bounce_events) FROM ${db}.v_bounce_totals ORDER BY code FORMAT TSV`,
      `SELECT ip, toUInt32(bounced_messages) FROM ${db}.v_bounces_by_ip_minute FORMAT TSV`,
      `SELECT status, toUInt32(sum(messages)) FROM ${db}.v_minute GROUP BY status ORDER BY status FORMAT TSV`,
    ],
  };
}

const EXPECTED = [
  'contoso.onmicrosoft.com\t4\t2\t1\t1',
  '5.7.509\texo.5.7.509\t2\t2',
  '203.0.113.5\t2',
  'delivered\t2\nfail\t2\nfailed\t1\npending\t4',
];

describe('the same SQL on ClickHouse 18.16 and on current ClickHouse', () => {
  let db: TestDatabase;
  let migrations: Migration[];
  beforeAll(async () => {
    db = await createTestDatabase('compat');
    migrations = await readMigrations(MIGRATIONS_DIR);
  });
  afterAll(async () => db?.drop());

  it('applies every migration on current ClickHouse (chdb) and gives the exact totals after a replayed batch', () => {
    const name = 'ndr_modern';
    const ddl = [`CREATE DATABASE IF NOT EXISTS ${name}`];
    for (const m of migrations)
      for (const s of m.statements) if (s.requires.every((f) => MODERN[f])) ddl.push(s.text.replaceAll('{{db}}', name));
    const p = probe(name);
    const out = chdb([...ddl, ...p.writes, ...p.reads]);
    expect(out.error, JSON.stringify(out.error)).toBeUndefined();
    expect(Number(out.version.split('.')[0])).toBeGreaterThanOrEqual(24);
    const reads = out.results.slice(-p.reads.length).map((t) => t.trim());
    expect(reads).toEqual(EXPECTED);
  });

  it('gives the same totals on the local server', async () => {
    const server = await detectServer(db.client);
    await migrate(db.client, { database: db.name, migrations, server });
    const p = probe(db.name);
    for (const w of p.writes) await db.client.command({ query: w });
    const reads: string[] = [];
    for (const r of p.reads) {
      const query = r.replace(/ FORMAT TSV$/, ''); // the client adds its own FORMAT clause
      reads.push((await (await db.client.query({ query, format: 'TabSeparated' })).text()).trim());
    }
    expect(reads).toEqual(EXPECTED);
  });
});

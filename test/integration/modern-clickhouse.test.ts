/**
 * The SQL must work on ClickHouse 18.16 (Debian's package, the local server) and on current
 * ClickHouse (users run 24.x+). This runs every migration and a read-path probe on both —
 * the local server and chdb (ClickHouse 2x, in-process, from PyPI) — and compares the answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MIGRATIONS_DIR,
  detectServer,
  literal,
  migrate,
  readMigrations,
  type Migration,
  type ServerFeatures,
} from '@ndr/clickhouse';
import { createTestDatabase, type TestDatabase } from '../helpers/clickhouse.js';
import { chdb } from '../helpers/chdb.js';
import { createWriter, EVENT_COLUMNS, EventBuffer, type EventRow } from '@ndr/writer';

const MODERN: ServerFeatures = {
  ttl: true,
  queryParams: true,
  asyncInsert: true,
  insertDeduplicationToken: true,
  lowCardinalityNeedsSetting: false,
  jsonCompactEachRow: true,
};

/** A hostile value: every TSV separator and escape, quotes, SQL, non-ASCII. */
const HOSTILE = 'tab\there\nnewline\rcr \\ back\'slash "q" ; DROP TABLE events -- \u0000 æøå 📧';

/** The rows of one batch, as the writer builds them: pending → delivered/failed trace rows and a bounce. */
function probeRows(): EventRow[] {
  const base: EventRow = {
    event_time: 1_795_166_040 + 17,
    tenant: 'contoso.onmicrosoft.com',
    schema: 'message_trace',
    natural_key: '',
    message_key: '',
    version: 1,
    status: 'pending',
    terminal: 0,
    bounce: 0,
    direction: 'outbound',
    sender: 'billing@contoso.com',
    recipient: 'ap@fabrikam.com',
    sender_domain: 'contoso.com',
    recipient_domain: 'fabrikam.com',
    ip: '',
    code: '',
    reply: '',
    entry: '',
    class: '',
    reason: '',
    category: '',
    alert_tags: [],
    matched_by: 'none',
    message_trace_id: '',
    message_id: '',
    subject: 'Invoice',
    size_bytes: 100,
    diagnostic: '',
    source: 'test',
    ingested_at: 1_795_166_100,
  };
  const trace = (status: string, terminal: 0 | 1, n: number, version: number): EventRow => ({
    ...base,
    status,
    terminal,
    natural_key: `e${n}`,
    message_key: `m${n}`,
    version,
  });
  const bounce = (n: number): EventRow => ({
    ...base,
    schema: 'trace_detail',
    status: 'fail',
    terminal: 1,
    bounce: 1,
    natural_key: `d${n}`,
    message_key: `m${n}`,
    ip: '203.0.113.5',
    code: '5.7.509',
    reply: '550',
    entry: 'exo.5.7.509',
    class: 'permanent',
    reason: 'auth_failure',
    alert_tags: ['dmarc_failure', HOSTILE],
    subject: HOSTILE,
    diagnostic: HOSTILE,
  });
  return [
    ...[1, 2, 3, 4].map((n) => trace('pending', 0, n, 1)),
    trace('delivered', 1, 1, 2),
    trace('delivered', 1, 2, 2),
    trace('failed', 1, 3, 2),
    bounce(3),
    bounce(5),
  ];
}

const READS = (db: string) => [
  `SELECT tenant, toUInt32(messages_total), toUInt32(delivered), toUInt32(failed), toUInt32(pending) FROM ${db}.v_message_totals_minute FORMAT TSV`,
  `SELECT code, entry, toUInt32(bounced_messages), toUInt32(bounce_events) FROM ${db}.v_bounce_totals ORDER BY code FORMAT TSV`,
  `SELECT ip, toUInt32(bounced_messages) FROM ${db}.v_bounces_by_ip_minute FORMAT TSV`,
  `SELECT status, toUInt32(sum(messages)) FROM ${db}.v_minute GROUP BY status ORDER BY status FORMAT TSV`,
  `SELECT toUInt32(count()), toUInt32(sum(subject = ${literal(HOSTILE)} AND diagnostic = ${literal(HOSTILE)} AND alert_tags = [${literal('dmarc_failure')}, ${literal(HOSTILE)}])) FROM ${db}.events WHERE bounce = 1 FORMAT TSV`,
];

const EXPECTED = [
  'contoso.onmicrosoft.com\t4\t2\t1\t1',
  '5.7.509\texo.5.7.509\t2\t2',
  '203.0.113.5\t2',
  'delivered\t2\nfail\t2\nfailed\t1\npending\t4',
  // Two bounce rows per batch, written twice (a replay): the raw table holds both copies until it merges.
  '4\t4',
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
    // The writer's own encoding, inline, written twice (a replayed batch).
    const insert = `INSERT INTO ${name}.events (${EVENT_COLUMNS.join(', ')}) FORMAT TabSeparated\n${Buffer.concat(EventBuffer.of(probeRows()).chunks).toString()}`;
    const reads = READS(name);
    const out = chdb([...ddl, insert, insert, ...reads]);
    expect(out.error, JSON.stringify(out.error)).toBeUndefined();
    expect(Number(out.version.split('.')[0])).toBeGreaterThanOrEqual(24);
    const got = out.results.slice(-reads.length).map((t) => t.trim());
    expect(got).toEqual(EXPECTED);
  });

  it('gives the same totals on the local server, written by the writer', async () => {
    const server = await detectServer(db.client);
    await migrate(db.client, { database: db.name, migrations, server });
    const writer = createWriter({ database: db.name }, { client: db.client });
    for (let i = 0; i < 2; i++) await writer.write(EventBuffer.of(probeRows()));
    const reads: string[] = [];
    for (const r of READS(db.name)) {
      const query = r.replace(/ FORMAT TSV$/, ''); // the client adds its own FORMAT clause
      reads.push((await (await db.client.query({ query, format: 'TabSeparated' })).text()).trim());
    }
    expect(reads).toEqual(EXPECTED);
  });
});

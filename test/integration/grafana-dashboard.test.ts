/**
 * The Grafana dashboard (infra/grafana) is only as good as its SQL. This parses the dashboard JSON,
 * expands each panel's query the way Grafana and the ClickHouse plugin would (template variables,
 * $__conditionalAll, $__timeFilter, $__interval_s …) and runs it over seeded aggregates: on the
 * local server (ClickHouse 18.16) as the read-only dashboard user, and on current ClickHouse (chdb).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import { connectionsFromEnv } from '@ndr/config';
import { MIGRATIONS_DIR, createClickHouseClient, readMigrations, type ServerFeatures } from '@ndr/clickhouse';
import { createTestDatabase, type TestDatabase } from '../helpers/clickhouse.js';
import { migrateTestDatabase } from '../helpers/pipeline.js';
import { chdb } from '../helpers/chdb.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(`${repo}${path}`, 'utf8');

interface Target {
  datasource: { type: string; uid: string };
  editorType: string;
  format: number;
  rawSql: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource: { type: string; uid: string };
  gridPos: { h: number; w: number; x: number; y: number };
  targets: Target[];
}
interface Variable {
  type: string;
  name: string;
  query: string;
}
const dashboard = JSON.parse(read('infra/grafana/dashboards/ndr-bounces.json')) as {
  uid: string;
  panels: Panel[];
  templating: { list: Variable[] };
};
const DATASOURCE = { type: 'grafana-clickhouse-datasource', uid: 'ndr-clickhouse' };

const START = Date.UTC(2026, 10, 20, 8, 0, 0) / 1000;
const MINUTES = 60;
const CONTOSO = 'contoso.onmicrosoft.com';
const FABRIKAM = 'fabrikam.onmicrosoft.com';
const BANNED_IP = '198.51.100.77';
/** tenant, code, entry, reason, ip, bounced messages per minute */
const SEEDS = [
  [CONTOSO, '5.7.509', 'exo.5.7.509', 'auth_failure', '', 4],
  [CONTOSO, '5.1.10', 'exo.5.1.10', 'user_unknown', '', 1],
  [FABRIKAM, '5.7.606', 'exo.5.7.606-649', 'blocked_ip', BANNED_IP, 2],
  [FABRIKAM, '5.1.10', 'exo.5.1.10', 'user_unknown', '', 1],
] as const;
const DELIVERED_PER_MINUTE = 20;

function seedRows(): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const base = { direction: 'outbound', category: '', sender_domain: 'example.com', recipient_domain: 'example.net' };
  for (let i = 0; i < MINUTES; i++) {
    const bucket = START + i * 60;
    for (const [tenant, code, entry, reason, ip, n] of SEEDS) {
      // The same message reported twice (trace-detail event now, NDR a minute later) counts once.
      const keys = Array.from({ length: n }, (_, j) => `${tenant}|${code}|${i}|${j}`);
      const bounce = {
        ...base,
        tenant,
        terminal: 1,
        bounce: 1,
        code,
        entry,
        reason,
        class: 'permanent',
        message_keys: keys,
      };
      rows.push({
        ...bounce,
        bucket,
        schema: 'trace_detail',
        status: 'fail',
        ip,
        event_keys: keys.map((k) => `td|${k}`),
      });
      if (i + 1 < MINUTES)
        rows.push({
          ...bounce,
          bucket: bucket + 60,
          schema: 'ndr',
          status: 'failed',
          ip: '',
          event_keys: keys.map((k) => `ndr|${k}`),
        });
    }
    for (const tenant of [CONTOSO, FABRIKAM]) {
      const failed = SEEDS.filter((s) => s[0] === tenant).reduce((a, s) => a + s[5], 0);
      for (const [status, n] of [
        ['delivered', DELIVERED_PER_MINUTE],
        ['failed', failed],
      ] as const) {
        const keys = Array.from({ length: n }, (_, j) => `${tenant}|${status}|${i}|${j}`);
        rows.push({
          ...base,
          ...{
            bucket,
            tenant,
            schema: 'message_trace',
            status,
            terminal: 1,
            bounce: 0,
            code: '',
            entry: '',
            reason: '',
          },
          ...{ ip: '', class: '', message_keys: keys, event_keys: keys.map((k) => `mt|${k}`) },
        });
      }
    }
  }
  return rows;
}

const alert = (state: 'open' | 'resolved', tenant: string, key: string) => ({
  incident_key: key,
  opened_at: START + 32 * 60,
  version: 1,
  state,
  rule: 'blocked_ip',
  severity: 'critical',
  tenant,
  ip: BANNED_IP,
  sender: '',
  code: '5.7.606',
  entry: 'exo.5.7.606-649',
  title: 'Sending IP banned or restricted',
  cause: 'The IP address the message was sent from is banned by Microsoft.',
  fix: 'Find and stop the bad traffic from that IP, then ask for removal through the Microsoft delist portal.',
  who_acts: ['sender_admin'],
  count: 4,
  window_start: START + 30 * 60,
  window_end: START + 32 * 60,
  last_seen: START + 31 * 60,
  resolved_at: state === 'resolved' ? START + 50 * 60 : 0,
  notified: 1,
  detail: '4 bounces with 5.7.606 naming 198.51.100.77 in 2 min',
});
const ALERTS = [alert('open', FABRIKAM, `blocked_ip|${FABRIKAM}|${BANNED_IP}`), alert('resolved', CONTOSO, 'old')];

/** The arguments of a macro call starting at `open` (the index of its `(`), split at top-level commas. */
function macroArgs(sql: string, open: number): { args: string[]; end: number } {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < sql.length; i++) {
    const c = sql[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return { args: [...args, sql.slice(start, i).trim()], end: i + 1 };
    else if (c === ',' && depth === 1) {
      args.push(sql.slice(start, i).trim());
      start = i + 1;
    }
  }
  throw new Error(`unbalanced macro call in ${sql}`);
}

interface Expansion {
  db: string;
  /** Selected tenants; null = All. */
  tenants: string[] | null;
  from: number;
  to: number;
  intervalSeconds: number;
}

/** What Grafana (template variables, $__conditionalAll) and the plugin's backend macros send to ClickHouse. */
function expand(sql: string, x: Expansion): string {
  let out = sql;
  for (let at = out.lastIndexOf('$__conditionalAll('); at !== -1; at = out.lastIndexOf('$__conditionalAll(')) {
    const { args, end } = macroArgs(out, at + '$__conditionalAll'.length);
    expect(args).toHaveLength(2);
    expect(args[1]).toBe('$tenant');
    out = out.slice(0, at) + (x.tenants === null ? '1=1' : args[0]) + out.slice(end);
  }
  // Grafana's `singlequote` format: each value quoted, ' escaped as \'.
  const quoted = (x.tenants ?? []).map((t) => `'${t.replace(/'/g, "\\'")}'`).join(',');
  out = out.replaceAll('${db:raw}', x.db).replaceAll('${tenant:singlequote}', quoted);
  out = out.replace(/\$__timeFilter\(([^)]+)\)/g, (_m, col: string) => {
    const c = col.trim();
    return `${c} >= toDateTime(${x.from}) AND ${c} <= toDateTime(${x.to})`;
  });
  out = out
    .replaceAll('$__fromTime', `toDateTime(${x.from})`)
    .replaceAll('$__toTime', `toDateTime(${x.to})`)
    .replaceAll('$__interval_s', String(x.intervalSeconds));
  expect(out, 'every variable and macro is expanded').not.toMatch(/\$/);
  return out;
}

const panel = (title: string) => {
  const p =
    dashboard.panels.find((x) => x.title === title && x.type !== 'stat') ??
    dashboard.panels.find((x) => x.title === title);
  if (!p) throw new Error(`no panel titled ${title}`);
  return p;
};
const statPanel = (title: string) => dashboard.panels.find((x) => x.title === title && x.type === 'stat')!;
const total = (tenant: string | null, code?: string) =>
  SEEDS.filter((s) => (tenant === null || s[0] === tenant) && (code === undefined || s[1] === code)).reduce(
    (a, s) => a + s[5],
    0,
  ) * MINUTES;

type Row = Record<string, unknown>;
/** A DateTime as ClickHouse prints it. */
const stamp = (sec: number) => new Date(sec * 1000).toISOString().slice(0, 19).replace('T', ' ');

describe('the Grafana dashboard', () => {
  let db: TestDatabase;
  let reader: ClickHouseClient;
  const window = { from: START, to: START + MINUTES * 60, intervalSeconds: 300 };

  beforeAll(async () => {
    db = await createTestDatabase('grafana');
    await migrateTestDatabase(db);
    await db.client.insert({ table: 'agg_minute_input', values: seedRows(), format: 'JSONEachRow' });
    await db.client.insert({ table: 'alerts', values: ALERTS, format: 'JSONEachRow' });
    const conn = connectionsFromEnv(process.env).clickhouse;
    // The local server has the dashboard user of infra/clickhouse/users.xml; elsewhere use the configured one.
    reader = createClickHouseClient(conn.local ? { ...conn, username: 'ndr_reader', password: 'ndr_reader' } : conn, {
      database: null,
    });
  });
  afterAll(async () => {
    await reader?.close();
    await db?.drop();
  });

  async function run(sql: string): Promise<Row[]> {
    const rs = await reader.query({
      query: sql,
      format: 'JSONEachRow',
      clickhouse_settings: { output_format_json_quote_64bit_integers: 0, max_execution_time: 60 },
    });
    return rs.json<Row>();
  }
  const query = (p: Panel, tenants: string[] | null = null) =>
    run(expand(p.targets[0]!.rawSql, { db: db.name, tenants, ...window }));

  it('is well formed: provisioned data source, SQL targets, panels on the grid', () => {
    const yaml = read('infra/grafana/provisioning/datasources/clickhouse.yaml');
    expect(yaml).toContain(`uid: ${DATASOURCE.uid}`);
    expect(yaml).toContain(`type: ${DATASOURCE.type}`);
    expect(read('infra/grafana/provisioning/dashboards/ndr.yaml')).toContain('path: /var/lib/grafana/dashboards/ndr');
    expect(dashboard.uid).toBe('ndr-bounces');
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const p of dashboard.panels) {
      expect(p.datasource, p.title).toEqual(DATASOURCE);
      expect(p.targets, p.title).toHaveLength(1);
      const t = p.targets[0]!;
      expect(t.datasource).toEqual(DATASOURCE);
      expect(t.editorType).toBe('sql');
      expect(t.format, p.title).toBe(p.type === 'timeseries' ? 0 : 1); // the plugin's time series / table
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      // Nothing 18.16 lacks: the plugin's $__timeInterval expands to toStartOfInterval, and no WITH FILL or windows.
      expect(t.rawSql, p.title).not.toMatch(/\$__timeInterval|\$__timeFilter_ms|WITH FILL|OVER \(|(?<!\$)\{\w+:\w+\}/i);
    }
    expect(dashboard.panels.map((p) => p.title)).toEqual(
      expect.arrayContaining([
        'Bounced messages per code',
        'Top bounce codes',
        'Bounce rate per tenant',
        'Blocked sending IPs',
        'Open alerts',
      ]),
    );
  });

  it('runs every query on ClickHouse 18.16 as the read-only user, with exact numbers', async () => {
    const tenants = dashboard.templating.list.find((v) => v.name === 'tenant')!;
    const names = await run(expand(tenants.query, { db: db.name, tenants: null, ...window }));
    expect(names.map((r) => r.tenant)).toEqual([CONTOSO, FABRIKAM]);

    for (const p of dashboard.panels) {
      for (const selection of [null, [FABRIKAM], ["x' OR 1=1 --"]]) {
        await expect(query(p, selection), `${p.title} for ${JSON.stringify(selection)}`).resolves.toBeInstanceOf(Array);
      }
    }

    const messages = (tenant: string) => DELIVERED_PER_MINUTE * MINUTES + total(tenant);
    expect(await query(statPanel('Bounced messages'))).toEqual([{ bounced_messages: total(null) }]);
    expect(await query(statPanel('Messages'))).toEqual([{ total_messages: messages(CONTOSO) + messages(FABRIKAM) }]);
    const [rate] = await query(statPanel('Bounce rate'), [CONTOSO]);
    expect(rate!.bounce_rate).toBeCloseTo(total(CONTOSO) / messages(CONTOSO), 9);
    expect(await query(statPanel('Open alerts'))).toEqual([{ open_alerts: 1 }]);
    expect(await query(statPanel('Open alerts'), [CONTOSO])).toEqual([{ open_alerts: 0 }]);

    // Per code and step, exact: a message whose detail event and NDR fall in the same step counts once
    // (summing per-minute view rows would count it twice); one whose NDR falls in the next step counts there too.
    const trend = await query(panel('Bounced messages per code'));
    expect(new Set(trend.map((r) => r.code))).toEqual(new Set(['5.7.509', '5.1.10', '5.7.606']));
    const steps = MINUTES / 5;
    for (const code of ['5.7.509', '5.1.10', '5.7.606']) {
      const n = total(null, code) / MINUTES; // bounced messages per minute
      const got = trend.filter((r) => r.code === code).map((r) => [r.time, r.bounced_messages]);
      const want = Array.from({ length: steps }, (_, s) => [stamp(START + s * 300), (s === 0 ? 5 : 6) * n]);
      expect(got, code).toEqual(want);
    }
    expect(new Set((await query(panel('Bounced messages per code'), [FABRIKAM])).map((r) => r.code))).toEqual(
      new Set(['5.7.606', '5.1.10']),
    );

    const top = await query(panel('Top bounce codes'));
    expect(top.map((r) => [r.code, r.bounced_messages, r.tenants, r.entries])).toEqual([
      ['5.7.509', total(null, '5.7.509'), 1, 'exo.5.7.509'],
      ['5.1.10', total(null, '5.1.10'), 2, 'exo.5.1.10'],
      ['5.7.606', total(null, '5.7.606'), 1, 'exo.5.7.606-649'],
    ]);

    const byTenant = await query(panel('Messages and bounce rate per tenant'));
    expect(byTenant.map((r) => [r.tenant, r.total_messages, r.failed_messages])).toEqual([
      [CONTOSO, messages(CONTOSO), total(CONTOSO)],
      [FABRIKAM, messages(FABRIKAM), total(FABRIKAM)],
    ]);
    const series = await query(panel('Bounce rate per tenant'));
    expect(series).toHaveLength(2 * (MINUTES / 5));
    expect(Number(series[0]!.bounce_rate)).toBeCloseTo(total(CONTOSO) / messages(CONTOSO), 9);

    expect(await query(panel('Blocked sending IPs'))).toEqual([
      expect.objectContaining({
        tenant: FABRIKAM,
        ip: BANNED_IP,
        bounced_messages: total(FABRIKAM, '5.7.606'),
        codes: '5.7.606',
      }),
    ]);
    expect(await query(panel('Open alerts'))).toEqual([
      expect.objectContaining({ tenant: FABRIKAM, ip: BANNED_IP, who_must_act: 'sender_admin', fix: ALERTS[0]!.fix }),
    ]);
  });

  it('gives the same answers on current ClickHouse (chdb)', async () => {
    const name = 'ndr_grafana';
    const modern: ServerFeatures = {
      ttl: true,
      queryParams: true,
      asyncInsert: true,
      insertDeduplicationToken: true,
      lowCardinalityNeedsSetting: false,
      jsonCompactEachRow: true,
    };
    const statements = [`CREATE DATABASE IF NOT EXISTS ${name}`];
    for (const m of await readMigrations(MIGRATIONS_DIR))
      for (const s of m.statements)
        if (s.requires.every((f) => modern[f])) statements.push(s.text.replaceAll('{{db}}', name));
    const lines = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).join('\n');
    statements.push(`INSERT INTO ${name}.agg_minute_input FORMAT JSONEachRow\n${lines(seedRows())}`);
    statements.push(`INSERT INTO ${name}.alerts FORMAT JSONEachRow\n${lines(ALERTS)}`);
    const selections = [null, [FABRIKAM]];
    const queries = dashboard.panels.flatMap((p) =>
      selections.map((tenants) => ({
        p,
        tenants,
        sql: expand(p.targets[0]!.rawSql, { db: name, tenants, ...window }),
      })),
    );
    const out = chdb([...statements, ...queries.map((q) => `${q.sql}\nFORMAT JSONEachRow`)]);
    expect(out.error, JSON.stringify(out.error)).toBeUndefined();
    expect(Number(out.version.split('.')[0])).toBeGreaterThanOrEqual(24);
    const answers = out.results.slice(-queries.length);
    for (const [i, q] of queries.entries()) {
      const modernRows = answers[i]!.trim()
        ? answers[i]!.trim()
            .split('\n')
            .map((l) => JSON.parse(l) as Row)
        : [];
      const oldRows = await query(q.p, q.tenants);
      expect(modernRows.map(normalise), `${q.p.title} for ${JSON.stringify(q.tenants)}`).toEqual(
        oldRows.map(normalise),
      );
    }
  });
});

/** Current ClickHouse quotes 64-bit integers in JSON and may print floats differently. */
function normalise(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => {
      const n = typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
      return [k, typeof n === 'number' ? Math.round(n * 1e9) / 1e9 : n];
    }),
  );
}

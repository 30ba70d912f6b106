/**
 * Issue #5's acceptance: seeded traffic with a DMARC spike (A), a banned sending IP (B) and a blocked
 * tenant (C) raises exactly those three alerts at a local webhook receiver, each within 2 minutes of
 * event time, none for the control tenant D; resolve notices follow once the traffic is normal; a
 * restarted alerting process does not re-send an open incident; the API and CLI agree with SQL.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createClassifier, loadCatalog } from '@ndr/classifier';
import { connectionsFromEnv } from '@ndr/config';
import {
  createAlertEngine,
  createApiServer,
  createTrends,
  createWebhookNotifier,
  loadRules,
  replayAlerts,
} from '@ndr/api';
import { createTestDatabase, type TestDatabase } from '../helpers/clickhouse.js';
import { produceGenerated } from '../helpers/exactness.js';
import { testKafka } from '../helpers/kafka.js';
import { randomName } from '../helpers/names.js';
import {
  createPipelineTopics,
  migrateTestDatabase,
  startTestConsumer,
  testConsumerConfig,
  waitForCommitted,
} from '../helpers/pipeline.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const START = Date.UTC(2026, 10, 20, 8, 0, 0);
const MINUTES = 60;
const sec = (iso: string) => Date.parse(iso) / 1000;

interface Notice {
  kind: 'alert' | 'resolved';
  incident_key: string;
  rule: string;
  tenant: string;
  ip: string | null;
  code: string | null;
  opened_at: string;
  resolved_at: string | null;
  who_acts: string[];
  fix: string;
  count: number;
}

describe('alerts on blocked tenants, IPs and DMARC spikes', () => {
  const kafka = testKafka();
  let db: TestDatabase;
  let topics: Awaited<ReturnType<typeof createPipelineTopics>>;
  let truth: Awaited<ReturnType<typeof produceGenerated>>;
  let receiver: Server;
  let hookUrl = '';
  const notices: Notice[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('alerts');
    await migrateTestDatabase(db);
    topics = await createPipelineTopics(kafka, 6);
    truth = await produceGenerated(kafka, topics, {
      events: 60_000,
      seed: 21,
      startMs: START,
      minutes: MINUTES,
      scenario: 'demo',
    });
    const group = randomName('alerts');
    const consumer = await startTestConsumer(db, testConsumerConfig(topics, group));
    await waitForCommitted(kafka, group, [topics.message_trace, topics.trace_detail, topics.ndr], 120_000);
    await consumer.stop();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        notices.push(JSON.parse(body) as Notice);
        res.writeHead(204);
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
    await topics?.cleanup();
    await db?.drop();
  });

  function engine() {
    const catalog = loadCatalog();
    return createAlertEngine({
      client: db.client,
      database: db.name,
      catalog,
      classifier: createClassifier(catalog),
      rules: loadRules(),
      notifier: createWebhookNotifier({ url: hookUrl, format: 'json' }),
    });
  }

  it('raises exactly the three alerts, each within 2 minutes of event time, resolves them, and a restart re-sends nothing', async () => {
    const s = truth.scenario;
    const from = START / 1000;
    const end = from + (MINUTES + 75) * 60; // late detail events and NDRs, then quiet
    const first = engine();
    await first.init();
    const restartAt = sec(s.tenantBlock!.from) + 5 * 60; // while all three incidents are open
    await replayAlerts(first, from, restartAt);
    expect(
      first
        .open()
        .map((i) => i.rule)
        .sort(),
    ).toEqual(['blocked_ip', 'blocked_tenant', 'dmarc_spike']);

    const second = engine(); // a restarted process: loads open incidents, must not notify them again
    await second.init();
    expect(second.open()).toHaveLength(3);
    await replayAlerts(second, restartAt, end);

    const opened = notices.filter((n) => n.kind === 'alert');
    const summary = notices.map(
      (n) =>
        `${n.kind} ${n.rule} ${n.tenant} ${n.ip ?? ''} ${n.code ?? ''} opened ${n.opened_at} resolved ${n.resolved_at ?? ''}`,
    );
    expect(opened, summary.join('\n')).toHaveLength(3);
    const byRule = Object.fromEntries(opened.map((n) => [n.rule, n]));
    expect(byRule.dmarc_spike).toMatchObject({ tenant: s.dmarc!.tenant, code: '5.7.509' });
    expect(byRule.blocked_ip).toMatchObject({ tenant: s.ipBan!.tenant, ip: s.ipBan!.ip });
    expect(byRule.blocked_tenant).toMatchObject({ tenant: s.tenantBlock!.tenant });
    expect(opened.some((n) => n.tenant === s.control)).toBe(false);
    for (const n of opened) {
      expect(n.who_acts.length).toBeGreaterThan(0);
      expect(n.fix.length).toBeGreaterThan(10);
    }
    // Within 2 minutes of the event time the trouble started.
    expect(sec(byRule.dmarc_spike!.opened_at) - sec(s.dmarc!.spike!.from)).toBeLessThanOrEqual(120);
    expect(sec(byRule.blocked_ip!.opened_at) - sec(s.ipBan!.bannedFrom)).toBeLessThanOrEqual(120);
    expect(sec(byRule.blocked_tenant!.opened_at) - sec(s.tenantBlock!.from)).toBeLessThanOrEqual(120);
    for (const n of opened) expect(sec(n.opened_at)).toBeGreaterThanOrEqual(from);

    // One resolve notice per incident, after its traffic returned to normal.
    const resolved = notices.filter((n) => n.kind === 'resolved');
    expect(resolved.map((n) => n.incident_key).sort()).toEqual(opened.map((n) => n.incident_key).sort());
    const resolvedAt = (rule: string) => sec(resolved.find((n) => n.rule === rule)!.resolved_at!);
    expect(resolvedAt('dmarc_spike')).toBeGreaterThan(sec(s.dmarc!.spike!.to));
    expect(resolvedAt('blocked_ip')).toBeGreaterThan(from + MINUTES * 60);

    // Stored: every state change is in the alerts table, the newest state resolved.
    const stored = await db.rows<{ state: string; n: number }>(
      `SELECT state, count() AS n FROM ${db.name}.alerts FINAL GROUP BY state`,
    );
    expect(stored).toEqual([{ state: 'resolved', n: 3 }]);
  });

  it('the trends API and the CLI agree with a direct SQL count on the same window', async () => {
    const tenant = truth.scenario.ipBan!.tenant;
    const until = new Date(START + (MINUTES + 75) * 60_000).toISOString();
    const since = `${MINUTES + 75}m`;
    const direct = await db.rows<{ key: string; bounced: number }>(
      `SELECT code AS key, uniqExactMerge(messages) AS bounced FROM ${db.name}.agg_minute
       WHERE bounce = 1 AND tenant = '${tenant}' AND bucket >= toDateTime(${START / 1000}, 'UTC')
         AND bucket < toDateTime(${(START + (MINUTES + 75) * 60_000) / 1000}, 'UTC')
       GROUP BY key ORDER BY bounced DESC, key LIMIT 5`,
    );
    expect(direct.length).toBeGreaterThan(0);

    const classifier = createClassifier(loadCatalog());
    const app = await createApiServer({
      client: db.client,
      database: db.name,
      trends: createTrends(db.client, db.name, classifier),
      classifier,
      log: pino({ level: 'silent' }),
    });
    try {
      const res = await app.inject({ url: `/api/top?tenant=${tenant}&since=${since}&until=${until}&by=code&limit=5` });
      expect(res.statusCode).toBe(200);
      const api = (res.json() as { rows: { key: string; bounced: number }[] }).rows.map((r) => ({
        key: r.key,
        bounced: r.bounced,
      }));
      expect(api).toEqual(direct);

      const conn = connectionsFromEnv(process.env);
      const cli = spawnSync(
        process.execPath,
        [
          'services/cli/bin/ndr.js',
          'top',
          '--tenant',
          tenant,
          '--since',
          since,
          '--until',
          until,
          '--by',
          'code',
          '--limit',
          '5',
          '--json',
        ],
        {
          cwd: repo,
          encoding: 'utf8',
          env: { ...process.env, CLICKHOUSE_URL: conn.clickhouse.url, CLICKHOUSE_DATABASE: db.name },
        },
      );
      expect(cli.status, cli.stderr).toBe(0);
      const fromCli = (JSON.parse(cli.stdout) as { rows: { key: string; bounced: number }[] }).rows.map((r) => ({
        key: r.key,
        bounced: r.bounced,
      }));
      expect(fromCli).toEqual(direct);

      // Hostile strings are data, never SQL: no error, no rows from other tenants.
      for (const hostile of ["x' OR 1=1 --", "a\\' UNION ALL SELECT name, 1, 1, [], [], 0, 0 FROM system.tables --"]) {
        const r = await app.inject({
          url: `/api/top?tenant=${encodeURIComponent(hostile)}&since=${since}&until=${until}`,
        });
        expect(r.statusCode).toBe(200);
        expect((r.json() as { rows: unknown[] }).rows).toEqual([]);
      }
      const bad = await app.inject({ url: '/api/top?by=subject' });
      expect(bad.statusCode).toBe(400);
    } finally {
      await app.close();
    }
  });
});

import type { Command } from 'commander';
import { connectionsFromEnv } from '@ndr/config';
import { createClickHouseClient, detectServer } from '@ndr/clickhouse';
import { createKafka, logLevel } from '@ndr/kafka';

export function register(program: Command): void {
  program
    .command('status')
    .description('show which Kafka and ClickHouse the pipeline uses, whether they answer, and what is in the database')
    .option('--json', 'print JSON instead of text')
    .action(async (opts: { json?: boolean }) => {
      const conn = connectionsFromEnv(process.env);
      const report: Record<string, unknown> = {};
      const kafka = createKafka(conn.kafka, { clientId: 'ndr-status', logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
        report.kafka = {
          ok: true,
          local: conn.kafka.local,
          brokers: conn.kafka.brokers,
          clusterId: cluster.clusterId,
          topics,
        };
      } catch (err) {
        report.kafka = { ok: false, local: conn.kafka.local, brokers: conn.kafka.brokers, error: String(err) };
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      const ch = createClickHouseClient(conn.clickhouse, { database: null, application: 'ndr-status' });
      try {
        const server = await detectServer(ch);
        const rs = await ch.query({
          query: `SELECT name, engine FROM system.tables WHERE database = '${conn.clickhouse.database}' ORDER BY name`,
          format: 'JSONEachRow',
        });
        const tables = (await rs.json<{ name: string; engine: string }>()).map((t) => `${t.name} (${t.engine})`);
        report.clickhouse = {
          ok: true,
          local: conn.clickhouse.local,
          url: conn.clickhouse.url,
          version: server.version,
          database: conn.clickhouse.database,
          tables,
          features: server.features,
        };
      } catch (err) {
        report.clickhouse = { ok: false, local: conn.clickhouse.local, url: conn.clickhouse.url, error: String(err) };
      } finally {
        await ch.close();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else process.stdout.write(formatStatus(report));
      const ok = (report.kafka as { ok: boolean }).ok && (report.clickhouse as { ok: boolean }).ok;
      if (!ok) process.exitCode = 1;
    });
}

function formatStatus(r: Record<string, unknown>): string {
  const k = r.kafka as { ok: boolean; local: boolean; brokers: string[]; topics?: string[]; error?: string };
  const c = r.clickhouse as {
    ok: boolean;
    local: boolean;
    url: string;
    version?: string;
    database?: string;
    tables?: string[];
    error?: string;
  };
  const where = (local: boolean) => (local ? 'local, started by this project' : 'external');
  const lines = [
    `Kafka       ${k.brokers.join(',')} (${where(k.local)}): ${k.ok ? `up, ${k.topics?.length ?? 0} topics${k.topics?.length ? ': ' + k.topics.join(', ') : ''}` : `DOWN: ${k.error}`}`,
    `ClickHouse  ${c.url} (${where(c.local)}): ${c.ok ? `up, version ${c.version}, database ${c.database}: ${c.tables?.join(', ') || 'no tables yet (run ndr migrate)'}` : `DOWN: ${c.error}`}`,
  ];
  if (!k.ok || !c.ok)
    lines.push('Start the local servers with `npm run infra:up`, or check KAFKA_BROKERS / CLICKHOUSE_URL.');
  return `${lines.join('\n')}\n`;
}

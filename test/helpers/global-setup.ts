/**
 * Integration/e2e global setup: when no external Kafka or ClickHouse is configured
 * (KAFKA_BROKERS, CLICKHOUSE_URL), bring up the project's own local servers. They are
 * left running afterwards, so a second test run reuses them and is fast.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectionsFromEnv } from '../../packages/config/src/index.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

function up(script: string): void {
  const t0 = Date.now();
  const r = spawnSync('bash', [script, 'up'], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${script} up failed (exit ${r.status}); see its output above`);
  process.stderr.write(`[global-setup] ${script} up took ${Date.now() - t0} ms\n`);
}

export default function setup(): void {
  const conn = connectionsFromEnv(process.env);
  if (conn.clickhouse.local) up('infra/clickhouse/clickhouse.sh');
  else process.stderr.write(`[global-setup] using ClickHouse at ${conn.clickhouse.url}\n`);
  if (conn.kafka.local) up('infra/kafka/kafka.sh');
  else process.stderr.write(`[global-setup] using Kafka at ${conn.kafka.brokers.join(',')}\n`);
}

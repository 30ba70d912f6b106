import type { Command } from 'commander';
import { connectionsFromEnv } from '@ndr/config';
import { createClickHouseClient, identifier, queryRows, sql } from '@ndr/clickhouse';

export function register(program: Command): void {
  program
    .command('alerts')
    .description('list alerts raised by `ndr serve` (stored in ClickHouse)')
    .option('--state <state>', 'open, resolved or all', 'open')
    .option('--json', 'print JSON')
    .action(async (o: { state: string; json?: boolean }) => {
      if (!['open', 'resolved', 'all'].includes(o.state)) throw new Error('--state must be open, resolved or all');
      const conn = connectionsFromEnv(process.env).clickhouse;
      const client = createClickHouseClient(conn, { application: 'ndr-cli' });
      try {
        const where = o.state === 'all' ? '1' : sql`state = ${o.state}`.text;
        const rows = await queryRows<{
          state: string;
          severity: string;
          title: string;
          tenant: string;
          ip: string;
          sender: string;
          code: string;
          count: number;
          fix: string;
          who_acts: string[];
          opened_at: number;
        }>(
          client,
          `SELECT incident_key, state, severity, title, tenant, ip, sender, code, count, fix, who_acts,
                    toUInt32(opened_at) AS opened_at, toUInt32(resolved_at) AS resolved_at
                  FROM ${identifier(conn.database).text}.alerts FINAL WHERE ${where} ORDER BY opened_at DESC LIMIT 200`,
        );
        if (o.json) return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        if (rows.length === 0) return void process.stdout.write(`no ${o.state === 'all' ? '' : `${o.state} `}alerts\n`);
        for (const r of rows) {
          const who = [r.tenant, r.ip && `IP ${r.ip}`, r.sender, r.code].filter(Boolean).join(' · ');
          process.stdout.write(
            `[${r.state}] ${r.severity.toUpperCase()} ${r.title}\n    ${who} · ${r.count} messages · since ${new Date(r.opened_at * 1000).toISOString()}\n    fix: ${r.fix} [${r.who_acts.join(', ')}]\n`,
          );
        }
      } finally {
        await client.close();
      }
    });
}

import type { Command } from 'commander';
import { connectionsFromEnv } from '@ndr/config';
import { MIGRATIONS_DIR, createClickHouseClient, detectServer, migrate, readMigrations } from '@ndr/clickhouse';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('apply the ClickHouse migrations in infra/clickhouse/migrations that have not run yet')
    .option('--dir <path>', 'migrations folder', MIGRATIONS_DIR)
    .option('--database <name>', 'target database (default: CLICKHOUSE_DATABASE or ndr)')
    .addHelpText(
      'after',
      '\nConnection: CLICKHOUSE_URL (default http://127.0.0.1:18123), CLICKHOUSE_USER, CLICKHOUSE_PASSWORD, CLICKHOUSE_DATABASE.',
    )
    .action(async (opts: { dir: string; database?: string }) => {
      const conn = connectionsFromEnv(process.env).clickhouse;
      const database = opts.database ?? conn.database;
      const client = createClickHouseClient(conn, { database: null, application: 'ndr-migrate' });
      try {
        const server = await detectServer(client);
        const migrations = await readMigrations(opts.dir);
        const results = await migrate(client, { database, migrations, server });
        for (const r of results) {
          const state =
            r.ran + r.skipped === 0
              ? 'up to date'
              : `ran ${r.ran}${r.skipped ? `, skipped ${r.skipped} (server lacks a feature)` : ''}`;
          process.stdout.write(`migration ${String(r.version).padStart(3, '0')}_${r.name}: ${state}\n`);
        }
        process.stdout.write(`database ${database} on ClickHouse ${server.version} at ${conn.url} is migrated\n`);
      } finally {
        await client.close();
      }
    });
}

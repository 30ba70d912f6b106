import type { Command } from 'commander';
import { connectionsFromEnv } from '@ndr/config';
import { createClickHouseClient } from '@ndr/clickhouse';
import { applyRetention } from '@ndr/writer';

const days = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a whole number of days ≥ 1, got ${v}`);
  return n;
};

export function register(program: Command): void {
  program
    .command('retention')
    .description('drop partitions older than the retention period (raw events by day, aggregates by month)')
    .option('--events-days <n>', 'keep raw events this many days', days, 30)
    .option('--aggregates-days <n>', 'keep per-minute aggregates this many days', days, 400)
    .option('--dry-run', 'only list what would be dropped')
    .addHelpText(
      'after',
      '\nRun it daily (cron, a Kubernetes CronJob). ClickHouse 18.16 has no TTL; this works on every version.',
    )
    .action(async (opts: { eventsDays: number; aggregatesDays: number; dryRun?: boolean }) => {
      const conn = connectionsFromEnv(process.env).clickhouse;
      const client = createClickHouseClient(conn, { database: null, application: 'ndr-retention' });
      try {
        const drops = await applyRetention(
          client,
          conn.database,
          { eventsDays: opts.eventsDays, aggregatesDays: opts.aggregatesDays },
          { dryRun: opts.dryRun },
        );
        for (const d of drops) {
          process.stdout.write(
            `${opts.dryRun ? 'would drop' : 'dropped'} ${conn.database}.${d.table} partition ${d.partitionId} (${d.rows} rows, newest ${d.newest})\n`,
          );
        }
        if (drops.length === 0) process.stdout.write('nothing older than the retention period\n');
      } finally {
        await client.close();
      }
    });
}

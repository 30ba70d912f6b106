import type { Command } from 'commander';
import { connectionsFromEnv } from '@ndr/config';
import { createClickHouseClient } from '@ndr/clickhouse';
import { createClassifier, loadCatalog } from '@ndr/classifier';
import { BY, createTrends, fillSeries, resolveQuery } from '@ndr/api';

interface Opts {
  tenant?: string;
  since: string;
  until?: string;
  by: string;
  step?: string;
  code?: string;
  limit: string;
  json?: boolean;
}

function common(cmd: Command): Command {
  return cmd
    .option('--tenant <tenant>', 'one tenant, e.g. contoso.onmicrosoft.com (default: all)')
    .option('--since <duration>', 'window length: 30m, 6h, 2d …', '6h')
    .option('--until <time>', 'window end: ISO time, epoch seconds or now', undefined)
    .option('--by <dimension>', `split by: ${Object.keys(BY).join(', ')}`, 'code')
    .option('--code <code>', 'only this enhanced status code')
    .option('--limit <n>', 'how many keys', '10')
    .option('--json', 'print JSON');
}

async function withTrends<T>(fn: (t: ReturnType<typeof createTrends>) => Promise<T>): Promise<T> {
  const conn = connectionsFromEnv(process.env).clickhouse;
  const client = createClickHouseClient(conn, { application: 'ndr-cli' });
  try {
    return await fn(createTrends(client, conn.database, createClassifier(loadCatalog())));
  } finally {
    await client.close();
  }
}

const input = (o: Opts) => ({
  ...(o.tenant ? { tenant: o.tenant } : {}),
  since: o.since,
  ...(o.until ? { until: o.until } : {}),
  by: o.by,
  ...(o.step ? { step: o.step } : {}),
  ...(o.code ? { code: o.code } : {}),
  limit: o.limit,
});

const time = (s: number) => new Date(s * 1000).toISOString().slice(0, 16).replace('T', ' ');

export function register(program: Command): void {
  common(program.command('trends').description('bounced messages over time per code, reason, domain, IP … (exact)'))
    .option('--step <duration>', 'bucket size (default: about 120 points)')
    .action(async (o: Opts) => {
      const q = resolveQuery(input(o), Date.now());
      const series = await withTrends(async (t) => fillSeries(await t.series(q), q.from, q.to, q.stepSeconds));
      if (o.json) return void process.stdout.write(`${JSON.stringify({ query: q, series }, null, 2)}\n`);
      process.stdout.write(
        `bounced messages ${time(q.from)} – ${time(q.to)} UTC, per ${q.stepSeconds / 60} min, by ${q.by}${q.tenant ? `, tenant ${q.tenant}` : ''}\n`,
      );
      if (series.length === 0) return void process.stdout.write('no bounces in this window\n');
      for (const s of series) {
        const max = Math.max(...s.points.map((p) => p.bounced), 1);
        const spark = s.points.map((p) => ' ▁▂▃▄▅▆▇█'[Math.ceil((p.bounced / max) * 8)] ?? ' ').join('');
        process.stdout.write(`${(s.key || '(none)').padEnd(28)} ${String(s.total).padStart(8)}  ${spark.slice(-80)}\n`);
      }
    });

  common(
    program
      .command('top')
      .description('the codes, reasons, domains or IPs with most bounced messages, with what to do'),
  ).action(async (o: Opts) => {
    const q = resolveQuery(input(o), Date.now());
    const rows = await withTrends((t) => t.top(q));
    if (o.json) return void process.stdout.write(`${JSON.stringify({ query: q, rows }, null, 2)}\n`);
    process.stdout.write(
      `top ${q.by} by bounced messages, ${time(q.from)} – ${time(q.to)} UTC${q.tenant ? `, tenant ${q.tenant}` : ''}\n`,
    );
    for (const r of rows) {
      process.stdout.write(`${String(r.bounced).padStart(8)}  ${(r.key || '(none)').padEnd(26)} ${r.title ?? ''}\n`);
      if (r.fix)
        process.stdout.write(
          `${' '.repeat(10)}fix: ${r.fix}${r.who_acts?.length ? ` [${r.who_acts.join(', ')}]` : ''}\n`,
        );
    }
    if (rows.length === 0) process.stdout.write('no bounces in this window\n');
  });
}

import type { Command } from 'commander';
import { pino } from 'pino';
import { connectionsFromEnv } from '@ndr/config';
import { runApi } from '@ndr/api';

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the trends API and page, and raise alerts (webhook, Slack, Teams)')
    .option('--port <port>', 'HTTP port (NDR_API_PORT)', process.env.NDR_API_PORT ?? '8080')
    .option('--host <host>', 'listen address (NDR_API_HOST)', process.env.NDR_API_HOST ?? '127.0.0.1')
    .option('--no-alerts', 'serve the API only, no alert evaluation')
    .option(
      '--rules <file>',
      'alert rules JSON (NDR_ALERT_RULES); default: the shipped rules',
      process.env.NDR_ALERT_RULES,
    )
    .option('--webhook <url>', 'where alerts are POSTed (NDR_WEBHOOK_URL)', process.env.NDR_WEBHOOK_URL)
    .option(
      '--webhook-format <format>',
      'json, slack or teams (NDR_WEBHOOK_FORMAT)',
      process.env.NDR_WEBHOOK_FORMAT ?? 'json',
    )
    .option('--every <seconds>', 'evaluate alerts this often', '15')
    .option('--clock <clock>', "alert clock: 'wall' (live) or 'data' (newest event time; replays, demos)", 'wall')
    .action(
      async (o: {
        port: string;
        host: string;
        alerts: boolean;
        rules?: string;
        webhook?: string;
        webhookFormat: string;
        every: string;
        clock: string;
      }) => {
        if (!['json', 'slack', 'teams'].includes(o.webhookFormat))
          throw new Error(`--webhook-format must be json, slack or teams, got ${o.webhookFormat}`);
        if (!['wall', 'data'].includes(o.clock)) throw new Error(`--clock must be wall or data, got ${o.clock}`);
        const log = pino({ name: 'ndr-api', level: process.env.LOG_LEVEL ?? 'info' });
        const api = await runApi(
          connectionsFromEnv(process.env),
          {
            port: Number(o.port),
            host: o.host,
            alerts: o.alerts,
            evaluateEveryMs: Number(o.every) * 1000,
            clock: o.clock as 'wall' | 'data',
            ...(o.rules ? { rulesFile: o.rules } : {}),
            ...(o.webhook ? { webhookUrl: o.webhook } : {}),
            webhookFormat: o.webhookFormat as 'json' | 'slack' | 'teams',
          },
          log,
        );
        process.stdout.write(`NDR trends page: ${api.url}/\n`);
        await new Promise<void>((resolve) => {
          const stop = () => void api.stop().then(resolve);
          process.once('SIGTERM', stop);
          process.once('SIGINT', stop);
        });
      },
    );
}

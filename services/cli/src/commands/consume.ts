import type { Command } from 'commander';
import { pino } from 'pino';
import { connectionsFromEnv } from '@ndr/config';
import { consumerConfig, runConsumer } from '@ndr/consumer';

export function register(program: Command): void {
  program
    .command('consume')
    .description('run the pipeline: consume the input topics and write aggregates to ClickHouse until Ctrl-C / SIGTERM')
    .option('--group <id>', 'consumer group id (NDR_GROUP_ID)')
    .option('--create-topics', 'create missing input and dead-letter topics first (NDR_CREATE_TOPICS)')
    .option('--http-port <port>', '/metrics, /healthz, /readyz port; 0 = off (NDR_HTTP_PORT)')
    .addHelpText(
      'after',
      '\nEvery setting also comes from env vars: `node services/consumer/bin/ndr-consumer.js --help` lists them.',
    )
    .action(async (opts: { group?: string; createTopics?: boolean; httpPort?: string }) => {
      const log = pino({ name: 'ndr-consumer', level: process.env.LOG_LEVEL ?? 'info' });
      const config = consumerConfig(process.env, {
        ...(opts.group ? { groupId: opts.group } : {}),
        ...(opts.createTopics ? { createTopics: true } : {}),
        ...(opts.httpPort !== undefined ? { httpPort: Number(opts.httpPort) } : {}),
      });
      const running = await runConsumer(connectionsFromEnv(process.env), config, log);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log.info({ signal }, 'shutting down: flushing, committing, leaving the group');
          const force = setTimeout(() => process.exit(1), config.shutdownTimeoutMs);
          force.unref();
          running.stop().then(resolve, (err: unknown) => {
            log.error({ err }, 'error during shutdown');
            process.exitCode = 1;
            resolve();
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
}

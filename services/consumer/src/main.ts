#!/usr/bin/env node
/**
 * ndr-consumer: reads settings once (env vars), builds the logger, runs until SIGTERM/SIGINT,
 * then flushes, commits and leaves the group within NDR_SHUTDOWN_TIMEOUT_MS.
 */
import { pino } from 'pino';
import { ConfigError, connectionsFromEnv } from '@ndr/config';
import { consumerConfig } from './config.js';
import { runConsumer } from './run.js';

const log = pino({ name: 'ndr-consumer', level: process.env.LOG_LEVEL ?? 'info' });

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  let conn, config;
  try {
    conn = connectionsFromEnv(process.env);
    config = consumerConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      log.fatal({ problems: err.problems }, 'invalid configuration; fix the variables named above');
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  const running = await runConsumer(conn, config, log);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: flushing, committing, leaving the group');
    const force = setTimeout(() => {
      log.error(
        { timeoutMs: config.shutdownTimeoutMs },
        'shutdown took too long; exiting without a final commit (the range is re-read idempotently)',
      );
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    running
      .stop()
      .then(() => {
        log.info('stopped cleanly');
        process.exit(0);
      })
      .catch((err: unknown) => {
        log.error({ err }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

const HELP = `ndr-consumer: Kafka message-trace / trace-detail / NDR topics → ClickHouse aggregates.

Usage: ndr-consumer [--help]

Connections: KAFKA_BROKERS, CLICKHOUSE_URL, CLICKHOUSE_DATABASE … (see the README).
Consumer settings (all optional):
  NDR_GROUP_ID (ndr-pipeline)            NDR_TOPIC_MESSAGE_TRACE (exo.message-trace)
  NDR_TOPIC_TRACE_DETAIL (exo.trace-detail)  NDR_TOPIC_NDR (exo.ndr)
  NDR_DEAD_LETTER_TOPIC (exo.dead-letter)   NDR_FROM_BEGINNING (true)
  NDR_FLUSH_INTERVAL_MS (1000)  NDR_MAX_BUFFER_EVENTS (20000)  NDR_MAX_BUFFER_BYTES (16777216)
  NDR_MAX_MESSAGE_BYTES (1048576)  NDR_PARTITIONS_CONCURRENTLY (1)
  NDR_SESSION_TIMEOUT_MS (30000)  NDR_HEARTBEAT_INTERVAL_MS (3000)  NDR_SHUTDOWN_TIMEOUT_MS (30000)
  NDR_HTTP_PORT (9464, 0 = off)  NDR_HTTP_HOST (127.0.0.1)  NDR_CREATE_TOPICS (false)  NDR_TOPIC_PARTITIONS (6)
  LOG_LEVEL (info)
Memory: run with NODE_OPTIONS=--max-old-space-size=192 to keep RSS near 256 MB (measured in bench/results/pipeline.json).
Endpoints: /metrics  /healthz  /readyz
`;

main().catch((err: unknown) => {
  log.fatal({ err }, 'consumer failed to start');
  process.exit(1);
});

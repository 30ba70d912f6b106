/**
 * Wires a running consumer from settings: Kafka clients, ClickHouse client, classifier,
 * decoder, writer, metrics and the HTTP endpoints. Used by main.ts and `ndr consume`.
 */
import type { Server } from 'node:http';
import { Partitioners } from 'kafkajs';
import type { Logger } from 'pino';
import { createClassifier, loadCatalog } from '@ndr/classifier';
import { createClickHouseClient, detectServer } from '@ndr/clickhouse';
import type { Connections } from '@ndr/config';
import { createDecoder } from '@ndr/events';
import { createKafka } from '@ndr/kafka';
import { createWriter, type WriterEvent } from '@ndr/writer';
import type { ConsumerConfig } from './config.js';
import { startHttp } from './http.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createPipeline, type Pipeline } from './pipeline.js';

export interface RunningConsumer {
  readonly pipeline: Pipeline;
  readonly metrics: Metrics;
  readonly http: Server | null;
  /** Graceful: flush, commit, leave the group, close clients. */
  stop(): Promise<void>;
}

export async function runConsumer(conn: Connections, config: ConsumerConfig, log: Logger): Promise<RunningConsumer> {
  const classifier = createClassifier(loadCatalog());
  const ch = createClickHouseClient(conn.clickhouse, { application: 'ndr-consumer' });
  const server = await detectServer(ch);
  const tables = await (
    await ch.query({
      query: `SELECT name FROM system.tables WHERE database = '${conn.clickhouse.database}'`,
      format: 'JSONEachRow',
    })
  ).json<{ name: string }>();
  // The writer's target, the materialized view that aggregates it (migration 004) and the view's target.
  for (const t of ['events', 'agg_minute_events_mv', 'agg_minute']) {
    if (!tables.some((r) => r.name === t)) {
      throw new Error(`table ${conn.clickhouse.database}.${t} is missing: run \`npx ndr migrate\` first`);
    }
  }
  log.info(
    { clickhouse: conn.clickhouse.url, version: server.version, database: conn.clickhouse.database },
    'ClickHouse ready',
  );

  const metrics = createMetrics();
  const kafka = createKafka(conn.kafka, { logger: log.child({ module: 'kafkajs' }) });
  if (config.createTopics) await ensureTopics(kafka, config, log);
  const consumer = kafka.consumer({
    groupId: config.groupId,
    sessionTimeout: config.sessionTimeoutMs,
    heartbeatInterval: config.heartbeatIntervalMs,
    maxBytesPerPartition: Math.max(1 << 20, config.maxMessageBytes + 1024),
  });
  // Dead letters are at-least-once like everything else (a retried send may repeat one); no idempotence needed.
  const producer = kafka.producer({ maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await Promise.all([consumer.connect(), producer.connect()]);

  const writerLog = log.child({ module: 'writer' });
  // The writer reports retries to the pipeline, which is created after it.
  const late: { pipeline?: Pipeline } = {};
  const writer = createWriter(
    { database: conn.clickhouse.database },
    {
      client: ch,
      onEvent: (e: WriterEvent) => {
        if (e.type === 'inserted') {
          late.pipeline?.setWriterRetrying(false);
          metrics.insertSeconds.observe({ table: e.table }, e.durationMs / 1000);
          metrics.insertRows.observe({ table: e.table }, e.rows);
        } else if (e.type === 'retrying') {
          metrics.insertRetries.inc({ table: e.table });
          late.pipeline?.setWriterRetrying(true);
          writerLog.warn(
            { err: e.error, table: e.table, attempt: e.attempt, retryInMs: e.delayMs },
            'insert failed, retrying; consumption waits (check that ClickHouse is up)',
          );
        } else {
          writerLog.error({ err: e.error, table: e.table, attempts: e.attempts }, 'insert failed for good');
        }
      },
    },
  );
  const pipeline = createPipeline(config, {
    consumer,
    producer,
    writer,
    decoder: createDecoder({ maxBytes: config.maxMessageBytes }),
    classifier,
    metrics,
    log: log.child({ module: 'pipeline' }),
  });
  late.pipeline = pipeline;
  const http =
    config.httpPort > 0
      ? await startHttp({
          port: config.httpPort,
          host: config.httpHost,
          registry: metrics.registry,
          ready: pipeline.ready,
        })
      : null;
  await pipeline.start();
  log.info(
    {
      topics: config.topics,
      groupId: config.groupId,
      http: http ? `http://${config.httpHost}:${config.httpPort}` : 'off',
    },
    'consuming',
  );

  return {
    pipeline,
    metrics,
    http,
    async stop() {
      await pipeline.stop();
      await writer.close();
      await producer.disconnect();
      await ch.close();
      await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
    },
  };
}

async function ensureTopics(kafka: ReturnType<typeof createKafka>, config: ConsumerConfig, log: Logger): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [...Object.values(config.topics), config.deadLetterTopic].filter((t) => !existing.has(t));
    if (wanted.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: wanted.map((topic) => ({
        topic,
        numPartitions: config.topicPartitions,
        // Dead letters keep oversize originals: allow larger messages there.
        configEntries:
          topic === config.deadLetterTopic
            ? [{ name: 'max.message.bytes', value: String(Math.max(8 << 20, config.maxMessageBytes * 4)) }]
            : [],
      })),
    });
    log.info({ created: wanted }, 'created topics');
  } finally {
    await admin.disconnect();
  }
}

/** Runs the real consumer in-process against the test servers, on random topics and a random database. */
import { pino } from 'pino';
import type { Kafka } from 'kafkajs';
import { groupLag } from '@ndr/kafka';
import { connectionsFromEnv, type Connections } from '@ndr/config';
import { consumerConfig, runConsumer, type ConsumerConfig, type RunningConsumer } from '@ndr/consumer';
import { MIGRATIONS_DIR, detectServer, migrate, readMigrations } from '@ndr/clickhouse';
import type { TestDatabase } from './clickhouse.js';
import { randomName } from './names.js';

export interface PipelineTopics {
  message_trace: string;
  trace_detail: string;
  ndr: string;
  deadLetter: string;
}

export async function createPipelineTopics(
  kafka: Kafka,
  partitions = 3,
): Promise<PipelineTopics & { cleanup(): Promise<void> }> {
  const t = {
    message_trace: randomName('mt'),
    trace_detail: randomName('td'),
    ndr: randomName('ndr'),
    deadLetter: randomName('dlq'),
  };
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: t.message_trace, numPartitions: partitions },
      { topic: t.trace_detail, numPartitions: partitions },
      { topic: t.ndr, numPartitions: partitions },
      { topic: t.deadLetter, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: String(8 << 20) }] },
    ],
  });
  await admin.disconnect();
  return {
    ...t,
    async cleanup() {
      const a = kafka.admin();
      await a.connect();
      await a.deleteTopics({ topics: Object.values(t) }).catch(() => undefined);
      await a.disconnect();
    },
  };
}

export async function migrateTestDatabase(db: TestDatabase): Promise<void> {
  await migrate(db.client, {
    database: db.name,
    migrations: await readMigrations(MIGRATIONS_DIR),
    server: await detectServer(db.client),
  });
}

export function testConnections(db: TestDatabase): Connections {
  const c = connectionsFromEnv(process.env);
  return { kafka: c.kafka, clickhouse: { ...c.clickhouse, database: db.name } };
}

export function testConsumerConfig(
  topics: PipelineTopics,
  groupId: string,
  overrides: Partial<ConsumerConfig> = {},
): ConsumerConfig {
  return consumerConfig(
    {},
    {
      groupId,
      topics: { message_trace: topics.message_trace, trace_detail: topics.trace_detail, ndr: topics.ndr },
      deadLetterTopic: topics.deadLetter,
      flushIntervalMs: 200,
      httpPort: 0,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1_000,
      ...overrides,
    },
  );
}

export async function startTestConsumer(db: TestDatabase, config: ConsumerConfig): Promise<RunningConsumer> {
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  return runConsumer(testConnections(db), config, log);
}

/** Waits until the group's committed offsets reach every partition's high watermark. */
export async function waitForCommitted(
  kafka: Kafka,
  groupId: string,
  topics: string[],
  timeoutMs = 60_000,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const behind = await groupLag(admin, groupId, topics);
      if (behind === 0) return;
      if (Date.now() > deadline)
        throw new Error(`group ${groupId} still ${behind} messages behind after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await admin.disconnect();
  }
}

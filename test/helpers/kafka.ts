/** Per-test Kafka isolation: random topics and groups, deleted afterwards. */
import type { Admin, Kafka } from 'kafkajs';
import { connectionsFromEnv } from '@ndr/config';
import { createKafka, logLevel } from '@ndr/kafka';
import { randomName } from './names.js';

export function testKafka(clientId = randomName('test')): Kafka {
  // kafkajs logs retried coordinator errors at ERROR level; set TEST_KAFKAJS_LOG=warn to see them.
  const level = process.env.TEST_KAFKAJS_LOG === 'warn' ? logLevel.WARN : logLevel.NOTHING;
  return createKafka(connectionsFromEnv(process.env).kafka, { clientId, logLevel: level });
}

export interface TestTopic {
  readonly name: string;
  /** Deletes the topic and any groups registered with `group()`. */
  cleanup(): Promise<void>;
  /** A random consumer group name that cleanup() deletes. */
  group(prefix?: string): string;
}

export async function createTestTopic(
  kafka: Kafka,
  opts: { partitions?: number; prefix?: string; config?: Record<string, string> } = {},
): Promise<TestTopic> {
  const name = randomName(opts.prefix ?? 'topic');
  const groups: string[] = [];
  const admin = kafka.admin();
  await admin.connect();
  try {
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: name,
          numPartitions: opts.partitions ?? 3,
          replicationFactor: 1,
          configEntries: Object.entries(opts.config ?? {}).map(([n, value]) => ({ name: n, value })),
        },
      ],
    });
    if (!created) throw new Error(`topic ${name} already existed`);
  } finally {
    await admin.disconnect();
  }
  return {
    name,
    group(prefix = 'group') {
      const g = randomName(prefix);
      groups.push(g);
      return g;
    },
    async cleanup() {
      const a: Admin = kafka.admin();
      await a.connect();
      try {
        if (groups.length) await a.deleteGroups(groups).catch(() => undefined);
        await a.deleteTopics({ topics: [name] });
      } finally {
        await a.disconnect();
      }
    },
  };
}

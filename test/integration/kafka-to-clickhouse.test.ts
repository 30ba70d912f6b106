/**
 * Foundation check: the real broker and the real ClickHouse server, end to end, with
 * the client libraries the product uses. 10,000 keyed messages go to a 3-partition
 * topic, a consumer group reads them with manual commits and inserts each batch into
 * ClickHouse before committing; the counts must match exactly.
 */
import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/clickhouse.js';
import { createTestTopic, testKafka, type TestTopic } from '../helpers/kafka.js';

const TOTAL = 10_000;
const PARTITIONS = 3;

describe('Kafka → ClickHouse with kafkajs and @clickhouse/client', () => {
  const kafka = testKafka();
  let topic: TestTopic;
  let db: TestDatabase;
  let consumer: Consumer | undefined;

  beforeAll(async () => {
    topic = await createTestTopic(kafka, { partitions: PARTITIONS, prefix: 'e2e10k' });
    db = await createTestDatabase('e2e10k');
    await db.client.command({
      query: `CREATE TABLE ${db.name}.messages (id UInt32, tenant String, topic_partition UInt8, kafka_offset UInt64)
              ENGINE = MergeTree() ORDER BY (topic_partition, kafka_offset)`,
    });
  });
  afterAll(async () => {
    await consumer?.disconnect();
    await topic?.cleanup();
    await db?.drop();
  });

  it('produces 10,000 messages, consumes them in a group with manual commits, and ClickHouse holds exactly 10,000', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let start = 0; start < TOTAL; start += 1000) {
      const messages = Array.from({ length: 1000 }, (_, i) => {
        const id = start + i;
        return { key: `tenant-${id % 7}`, value: JSON.stringify({ id, tenant: `tenant-${id % 7}` }) };
      });
      await producer.send({ topic: topic.name, acks: -1, messages });
    }
    await producer.disconnect();

    const admin = kafka.admin();
    await admin.connect();
    const highWatermarks = await admin.fetchTopicOffsets(topic.name);
    expect(highWatermarks).toHaveLength(PARTITIONS);
    expect(highWatermarks.reduce((n, p) => n + Number(p.high), 0)).toBe(TOTAL);
    // Keys spread over every partition.
    for (const p of highWatermarks) expect(Number(p.high)).toBeGreaterThan(0);

    const groupId = topic.group('e2e10k');
    consumer = kafka.consumer({ groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000 });
    await consumer.connect();
    await consumer.subscribe({ topic: topic.name, fromBeginning: true });
    let inserted = 0;
    let inserts = 0;
    const done = new Promise<void>((resolve, reject) => {
      consumer!
        .run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat }) => {
            const rows = batch.messages.map((m) => {
              const v = JSON.parse(m.value!.toString()) as { id: number; tenant: string };
              return { id: v.id, tenant: v.tenant, topic_partition: batch.partition, kafka_offset: m.offset };
            });
            await db.client.insert({ table: 'messages', values: rows, format: 'JSONEachRow' });
            inserts++;
            await heartbeat();
            // Only what ClickHouse acknowledged is resolved and committed.
            resolveOffset(batch.lastOffset());
            await commitOffsetsIfNecessary({
              topics: [
                {
                  topic: batch.topic,
                  partitions: [{ partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) }],
                },
              ],
            });
            inserted += rows.length;
            if (inserted >= TOTAL) resolve();
          },
        })
        .catch(reject);
    });
    await withDeadline(done, 90_000, () => `only ${inserted} of ${TOTAL} messages consumed`);

    const [counts] = await db.rows<{ n: number; ids: number; tenants: number }>(
      `SELECT count() AS n, uniqExact(id) AS ids, uniqExact(tenant) AS tenants FROM ${db.name}.messages`,
    );
    expect(counts).toEqual({ n: TOTAL, ids: TOTAL, tenants: 7 });
    const perPartition = await db.rows<{ p: number; n: number }>(
      `SELECT topic_partition AS p, count() AS n FROM ${db.name}.messages GROUP BY p ORDER BY p`,
    );
    expect(perPartition).toEqual(
      highWatermarks.map((h) => ({ p: h.partition, n: Number(h.high) })).sort((a, b) => a.p - b.p),
    );

    // The group's committed offsets equal the high watermarks: nothing left to re-read.
    await consumer.stop();
    const committed = await admin.fetchOffsets({ groupId, topics: [topic.name] });
    const byPartition = new Map(committed[0]!.partitions.map((p) => [p.partition, Number(p.offset)]));
    for (const h of highWatermarks) expect(byPartition.get(h.partition)).toBe(Number(h.high));
    await admin.disconnect();
    expect(inserts).toBeLessThan(TOTAL / 10); // batched, not one insert per message
  });
});

async function withDeadline(p: Promise<void>, ms: number, what: () => string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what()}`)), ms);
  });
  try {
    await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

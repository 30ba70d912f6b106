/**
 * The consumer end to end on a handful of real-shaped events: status transitions, the same bounce
 * seen as a detail event and an NDR, a re-sent duplicate, malformed input to the dead-letter topic,
 * and a full replay by a second consumer group. Totals must not move.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '@ndr/events';
import { DLQ_HEADERS } from '@ndr/consumer';
import { createTestDatabase, type TestDatabase } from '../helpers/clickhouse.js';
import { testKafka } from '../helpers/kafka.js';
import { randomName } from '../helpers/names.js';
import {
  createPipelineTopics,
  migrateTestDatabase,
  startTestConsumer,
  testConsumerConfig,
  waitForCommitted,
} from '../helpers/pipeline.js';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('consumer pipeline basics', () => {
  const kafka = testKafka();
  let db: TestDatabase;
  let topics: Awaited<ReturnType<typeof createPipelineTopics>>;

  beforeAll(async () => {
    db = await createTestDatabase('pipe');
    await migrateTestDatabase(db);
    topics = await createPipelineTopics(kafka);
    const v2 = EXAMPLES['message-trace-v2']!;
    const m1 = { ...v2, MessageTraceId: '11111111-1111-4111-8111-111111111111', RecipientAddress: 'one@fabrikam.com' };
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: topics.message_trace,
      messages: [
        { key: 'm1', value: json({ ...m1, Status: 'Pending' }) },
        { key: 'm1', value: json({ ...m1, Status: 'Delivered' }) },
        { key: 'm2', value: json(v2) }, // Failed, 5.7.509 message
        { key: 'm2', value: json(EXAMPLES['message-trace-graph']) }, // the same row from Graph
        { key: 'bad', value: Buffer.from([0xc3, 0x28, 0xa0, 0xa1]) },
        { key: 'bad', value: Buffer.from('{"Received": "2026-11-20T09:14:02Z", "SenderAddress": 42') },
      ],
    });
    await producer.send({
      topic: topics.trace_detail,
      messages: [{ key: 'm2', value: json(EXAMPLES['trace-detail-v2']) }],
    });
    await producer.send({
      topic: topics.ndr,
      messages: [
        { key: 'm2', value: json(EXAMPLES['ndr-dsn']) },
        { key: 'm2', value: json(EXAMPLES['ndr-dsn']) }, // re-sent under a new offset
        { key: 'bad', value: json({ ...EXAMPLES['ndr-dsn'], final_recipient: 12 }) },
      ],
    });
    await producer.disconnect();
  });
  afterAll(async () => {
    await topics?.cleanup();
    await db?.drop();
  });

  async function totals() {
    const messages = await db.rows(
      `SELECT tenant, sum(messages_total) AS messages, sum(delivered) AS delivered, sum(failed) AS failed, sum(pending) AS pending FROM ${db.name}.v_message_totals_minute GROUP BY tenant`,
    );
    const bounces = await db.rows(
      `SELECT tenant, code, entry, sum(bounced_messages) AS bounced FROM ${db.name}.v_bounce_totals GROUP BY tenant, code, entry ORDER BY code`,
    );
    return { messages, bounces };
  }

  it('counts messages once through status changes and surfaces, bounces once per code, and dead-letters bad input', async () => {
    const groupId = randomName('pipe');
    const consumer = await startTestConsumer(db, testConsumerConfig(topics, groupId));
    try {
      await waitForCommitted(kafka, groupId, [topics.message_trace, topics.trace_detail, topics.ndr]);
    } finally {
      await consumer.stop();
    }
    const t = await totals();
    expect(t.messages).toEqual([
      { tenant: 'contoso.onmicrosoft.com', messages: 2, delivered: 1, failed: 1, pending: 0 },
    ]);
    expect(t.bounces).toEqual([
      { tenant: 'contoso.onmicrosoft.com', code: '5.7.509', entry: 'exo.5.7.509', bounced: 1 },
    ]);
    const byIp = await db.rows(
      `SELECT ip, sum(bounced_messages) AS bounced FROM ${db.name}.v_bounces_by_ip_minute GROUP BY ip`,
    );
    expect(byIp).toEqual([{ ip: '203.0.113.5', bounced: 1 }]);

    // Every malformed message is in the dead-letter topic with its reason and original bytes.
    const letters: { reason: string; value: Buffer | null; source: string }[] = [];
    const dlq = kafka.consumer({ groupId: randomName('dlq-reader') });
    await dlq.connect();
    await dlq.subscribe({ topic: topics.deadLetter, fromBeginning: true });
    await new Promise<void>((resolve) => {
      void dlq.run({
        eachMessage: async ({ message }) => {
          letters.push({
            reason: String(message.headers?.[DLQ_HEADERS.reason]),
            value: message.value,
            source: String(message.headers?.[DLQ_HEADERS.topic]),
          });
          if (letters.length === 3) resolve();
        },
      });
    });
    await dlq.disconnect();
    expect(letters.map((l) => l.reason).sort()).toEqual(['invalid_encoding', 'invalid_json', 'schema_mismatch']);
    expect(letters.find((l) => l.reason === 'invalid_encoding')?.value).toEqual(Buffer.from([0xc3, 0x28, 0xa0, 0xa1]));
    expect(new Set(letters.map((l) => l.source))).toEqual(new Set([topics.message_trace, topics.ndr]));
  });

  it('changes no total when a second group replays every offset', async () => {
    const before = await totals();
    const groupId = randomName('replay');
    const consumer = await startTestConsumer(db, testConsumerConfig(topics, groupId));
    try {
      await waitForCommitted(kafka, groupId, [topics.message_trace, topics.trace_detail, topics.ndr]);
    } finally {
      await consumer.stop();
    }
    expect(await totals()).toEqual(before);
    // The raw table holds both copies until merged, but reads through FINAL give one row per key.
    const [raw] = await db.rows<{ n: number }>(`SELECT count() AS n FROM ${db.name}.events FINAL`);
    expect(raw?.n).toBe(4); // m1 (pending → delivered), m2 (V2 = Graph), its detail Fail event, its NDR (sent twice)
  });
});

/**
 * A flush ClickHouse refuses outright (not a transient error, so the writer does not retry it) must not
 * lose the range: the consumer commits nothing, drops what it read meanwhile, seeks back and reads it all
 * again once ClickHouse accepts inserts. Small buffers make several flushes fail while the next buffer is
 * already filling, which is the case where a later commit could otherwise pass over a failed range.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupLag } from '@ndr/kafka';
import { createTestDatabase, type TestDatabase } from '../helpers/clickhouse.js';
import { actualTotals, expectedTotals, produceGenerated } from '../helpers/exactness.js';
import { testKafka } from '../helpers/kafka.js';
import { randomName } from '../helpers/names.js';
import {
  createPipelineTopics,
  migrateTestDatabase,
  startTestConsumer,
  testConsumerConfig,
  waitForCommitted,
} from '../helpers/pipeline.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function counterTotal(c: { get(): Promise<{ values: { value: number; labels: object }[] }> }, labels = {}) {
  const { values } = await c.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, x]) => (v.labels as Record<string, unknown>)[k] === x))
    .reduce((a, v) => a + v.value, 0);
}

describe('a flush ClickHouse refuses', () => {
  const kafka = testKafka();
  let db: TestDatabase;
  let topics: Awaited<ReturnType<typeof createPipelineTopics>>;

  beforeAll(async () => {
    db = await createTestDatabase('flushfail');
    await migrateTestDatabase(db);
    topics = await createPipelineTopics(kafka);
  });
  afterAll(async () => {
    await topics?.cleanup();
    await db?.drop();
  });

  it('commits nothing while inserts fail, re-reads every range, and ends with exact totals', async () => {
    const inputs = [topics.message_trace, topics.trace_detail, topics.ndr];
    const group = randomName('flushfail');
    const consumer = await startTestConsumer(db, testConsumerConfig(topics, group, { maxBufferEvents: 2_000 }));
    // Once the consumer runs (it checks its tables at start), the table it inserts into disappears:
    // "table doesn't exist" is a data error, never retried.
    await db.client.command({ query: `RENAME TABLE ${db.name}.events TO ${db.name}.events_away` });
    const truth = await produceGenerated(kafka, topics, { events: 20_000, seed: 31 });
    const produced = truth.records.total;
    const admin = kafka.admin();
    await admin.connect();
    try {
      const deadline = Date.now() + 60_000;
      while ((await counterTotal(consumer.metrics.flushes, { result: 'error' })) < 4) {
        if (Date.now() > deadline) throw new Error('no failed flushes within 60 s');
        await sleep(100);
      }
      expect(await groupLag(admin, group, inputs)).toBe(produced); // nothing committed
      expect(consumer.pipeline.ready()).toBe(false);
      const readWhileFailing = await counterTotal(consumer.metrics.eventsIn);

      await db.client.command({ query: `RENAME TABLE ${db.name}.events_away TO ${db.name}.events` });
      await waitForCommitted(kafka, group, inputs, 120_000);
      expect(consumer.pipeline.ready()).toBe(true);
      // Ranges were read more than once (failed, then again), yet every total is exact.
      expect(await counterTotal(consumer.metrics.eventsIn)).toBeGreaterThan(Math.max(produced, readWhileFailing));
    } finally {
      await admin.disconnect();
      await consumer.stop();
    }
    expect(await actualTotals(db)).toEqual(expectedTotals(truth));
  });
});

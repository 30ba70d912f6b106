/** produceToKafka against a fake kafkajs client: batching, acks, keys, order, rate limit, failures. */
import type { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createGenerator, produceToKafka, type GenRecord } from '@ndr/generator';

const TOPICS = { message_trace: 't.mt', trace_detail: 't.td', ndr: 't.ndr' };

interface SendCall {
  acks: number | undefined;
  topicMessages: Array<{ topic: string; messages: Array<{ key: string; value: Buffer }> }>;
}

function fakeKafka(opts: { failOnCall?: number; delayMs?: number } = {}) {
  const calls: SendCall[] = [];
  const state = {
    connected: 0,
    disconnected: 0,
    concurrent: 0,
    maxConcurrent: 0,
    producerConfig: undefined as unknown,
  };
  const kafka = {
    producer(config: unknown) {
      state.producerConfig = config;
      return {
        connect: async () => void state.connected++,
        disconnect: async () => void state.disconnected++,
        async sendBatch(batch: SendCall) {
          state.concurrent++;
          state.maxConcurrent = Math.max(state.maxConcurrent, state.concurrent);
          await new Promise((r) => setTimeout(r, opts.delayMs ?? 1));
          state.concurrent--;
          calls.push(batch);
          if (opts.failOnCall === calls.length) throw new Error('broker says no');
          return [];
        },
      };
    },
  } as unknown as Kafka;
  return { kafka, calls, state };
}

describe('produceToKafka', () => {
  const records: GenRecord[] = [...createGenerator({ events: 5_000, seed: 1, malformed: 5 })];

  it('sends every record once, in order, keyed, with acks -1 and bounded batches', async () => {
    const { kafka, calls, state } = fakeKafka();
    const progress: number[] = [];
    const summary = await produceToKafka(kafka, TOPICS, records, {
      batchSize: 700,
      onProgress: (p) => progress.push(p.sent),
    });
    expect(summary.sent).toBe(5_000);
    expect(summary.batches).toBe(Math.ceil(5_000 / 700));
    expect(state).toMatchObject({ connected: 1, disconnected: 1, maxConcurrent: 1 });
    expect(state.producerConfig).toMatchObject({ idempotent: true, allowAutoTopicCreation: false });
    const sent: Array<{ topic: string; key: string; value: Buffer }> = [];
    for (const c of calls) {
      expect(c.acks).toBe(-1);
      expect(c.topicMessages.reduce((n, t) => n + t.messages.length, 0)).toBeLessThanOrEqual(700);
      for (const t of c.topicMessages)
        for (const m of t.messages) sent.push({ topic: t.topic, key: m.key, value: m.value });
    }
    // Order is kept per topic (within a batch, records are grouped by topic).
    for (const kind of ['message_trace', 'trace_detail', 'ndr'] as const) {
      const want = records.filter((r) => r.topic === kind);
      const got = sent.filter((s) => s.topic === TOPICS[kind]);
      expect(got.map((g) => g.key)).toEqual(want.map((w) => w.key));
      expect(Buffer.concat(got.map((g) => g.value)).equals(Buffer.concat(want.map((w) => w.value)))).toBe(true);
    }
    expect(summary.byTopic).toEqual({
      message_trace: records.filter((r) => r.topic === 'message_trace').length,
      trace_detail: records.filter((r) => r.topic === 'trace_detail').length,
      ndr: records.filter((r) => r.topic === 'ndr').length,
    });
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(5_000);
  });

  it('pulls records lazily: one batch in flight, the next one being generated', async () => {
    const { kafka } = fakeKafka({ delayMs: 2 });
    let pulled = 0;
    let maxAhead = 0;
    let acked = 0;
    function* counting() {
      for (const r of records) {
        pulled++;
        maxAhead = Math.max(maxAhead, pulled - acked);
        yield r;
      }
    }
    await produceToKafka(kafka, TOPICS, counting(), { batchSize: 500, onProgress: (p) => (acked = p.sent) });
    expect(maxAhead).toBeLessThanOrEqual(1_001);
  });

  it('spreads records over time at the requested rate', async () => {
    const { kafka, calls } = fakeKafka();
    const t0 = Date.now();
    await produceToKafka(kafka, TOPICS, records.slice(0, 400), { ratePerSec: 1_000 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(calls.length).toBeGreaterThanOrEqual(4); // ~100 records per batch at 1,000/s
  });

  it('rejects with the send error and still disconnects', async () => {
    const { kafka, state } = fakeKafka({ failOnCall: 2 });
    await expect(produceToKafka(kafka, TOPICS, records, { batchSize: 1_000 })).rejects.toThrow('broker says no');
    expect(state.disconnected).toBe(1);
  });

  it('refuses a bad batch size or rate', async () => {
    const { kafka } = fakeKafka();
    await expect(produceToKafka(kafka, TOPICS, records, { batchSize: 0 })).rejects.toThrow(/batchSize/);
    await expect(produceToKafka(kafka, TOPICS, records, { ratePerSec: -1 })).rejects.toThrow(/ratePerSec/);
  });
});

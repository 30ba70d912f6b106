/**
 * Ground truth (from @ndr/generator, computed independently of the pipeline) against what
 * ClickHouse says, both reduced to the same shape so one toEqual compares everything.
 */
import type { Kafka } from 'kafkajs';
import { createGenerator, produceToKafka, type Expected, type GeneratorOptions } from '@ndr/generator';
import { DLQ_HEADERS } from '@ndr/consumer';
import type { TestDatabase } from './clickhouse.js';
import { randomName } from './names.js';
import type { PipelineTopics } from './pipeline.js';

export interface TenantTotals {
  messages: { total: number; delivered: number; failed: number; filtered: number; pending: number };
  bounces: Record<string, number>;
  rows: { message_trace: number; trace_detail: number; ndr: number };
}
export type Totals = Record<string, TenantTotals>;

const emptyTenant = (): TenantTotals => ({
  messages: { total: 0, delivered: 0, failed: 0, filtered: 0, pending: 0 },
  bounces: {},
  rows: { message_trace: 0, trace_detail: 0, ndr: 0 },
});

export function expectedTotals(truth: Expected): Totals {
  const out: Totals = {};
  for (const [tenant, t] of Object.entries(truth.tenants)) {
    if (t.records.message_trace + t.records.trace_detail + t.records.ndr === 0) continue;
    const { total, delivered, failed, filtered, pending } = t.messages;
    out[tenant] = {
      messages: { total, delivered, failed, filtered, pending },
      bounces: Object.fromEntries(
        Object.entries(t.bounces)
          .filter(([, n]) => n > 0)
          .sort(([a], [b]) => a.localeCompare(b)),
      ),
      rows: { ...t.rows },
    };
  }
  return out;
}

/** Exact totals read through the views and merged states (the documented read path). */
export async function actualTotals(db: TestDatabase): Promise<Totals> {
  const out: Totals = {};
  const tenant = (t: string) => (out[t] ??= emptyTenant());
  for (const r of await db.rows<{
    tenant: string;
    total: number;
    delivered: number;
    failed: number;
    filtered: number;
    pending: number;
  }>(
    `SELECT tenant, sum(messages_total) AS total, sum(delivered) AS delivered, sum(failed) AS failed, sum(filtered) AS filtered, sum(pending) AS pending
     FROM ${db.name}.v_message_totals_minute GROUP BY tenant`,
  )) {
    const { tenant: t, ...m } = r;
    tenant(t).messages = m;
  }
  for (const r of await db.rows<{ tenant: string; code: string; n: number }>(
    `SELECT tenant, code, uniqExactMerge(messages) AS n FROM ${db.name}.agg_minute WHERE bounce = 1 GROUP BY tenant, code ORDER BY tenant, code`,
  )) {
    tenant(r.tenant).bounces[r.code] = r.n;
  }
  for (const r of await db.rows<{ tenant: string; schema: 'message_trace' | 'trace_detail' | 'ndr'; n: number }>(
    `SELECT tenant, schema, count() AS n FROM ${db.name}.events FINAL GROUP BY tenant, schema`,
  )) {
    tenant(r.tenant).rows[r.schema] = r.n;
  }
  return out;
}

export async function produceGenerated(kafka: Kafka, topics: PipelineTopics, options: GeneratorOptions) {
  const gen = createGenerator(options);
  await produceToKafka(
    kafka,
    { message_trace: topics.message_trace, trace_detail: topics.trace_detail, ndr: topics.ndr },
    gen,
  );
  return gen.expected();
}

/** Produces at about `ratePerSec` in the background, so tests can act while traffic still arrives. */
export function produceInBackground(
  kafka: Kafka,
  topics: PipelineTopics,
  options: GeneratorOptions,
  ratePerSec: number,
) {
  const gen = createGenerator(options);
  const done = produceToKafka(
    kafka,
    { message_trace: topics.message_trace, trace_detail: topics.trace_detail, ndr: topics.ndr },
    gen,
    {
      ratePerSec,
    },
  ).then(() => gen.expected());
  return { total: options.events ?? 100_000, truth: done };
}

/** Reads the dead-letter topic until `expected` letters arrived (or the deadline), counting reasons. */
export async function readDeadLetters(kafka: Kafka, topic: string, expected: number, timeoutMs = 60_000) {
  const byReason: Record<string, number> = {};
  let total = 0;
  let withOriginal = 0;
  const consumer = kafka.consumer({ groupId: randomName('dlq-reader'), maxBytesPerPartition: 8 << 20 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${total} of ${expected} dead letters after ${timeoutMs} ms`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          const reason = String(message.headers?.[DLQ_HEADERS.reason] ?? 'missing');
          byReason[reason] = (byReason[reason] ?? 0) + 1;
          if (message.headers?.[DLQ_HEADERS.offset] !== undefined && message.headers?.[DLQ_HEADERS.topic] !== undefined)
            withOriginal++;
          if (++total >= expected) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    // Give a moment for any unexpected extra letters to show up.
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    await consumer.disconnect();
  }
  return { total, byReason, withOriginal };
}

#!/usr/bin/env node
/**
 * End-to-end pipeline benchmark (not part of npm test; run by `npm run bench`).
 *
 * Phase A, throughput: 1,000,000 realistic mixed records (generator, demo scenario) are produced to
 * Kafka first; then the consumer — the built `ndr-consumer`, as deployed — drains them into ClickHouse.
 * One iteration = one record read, decoded, classified, aggregated and durable in ClickHouse with its
 * offset committed. Reported: sustained records/s, the consumer's peak RSS (VmHWM).
 * Phase B, latency: the consumer caught up, records arrive at a steady rate with probe rows mixed in;
 * event-to-queryable latency = from the probe's produce ack to the moment a SELECT finds it.
 *
 * Everything runs on this machine: Kafka, ClickHouse, the producer and the consumer share its cores.
 * Results: bench/results/pipeline.json.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createClient } from '@clickhouse/client';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { createGenerator, produceToKafka } from '@ndr/generator';

const repo = fileURLToPath(new URL('../', import.meta.url));
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const BROKERS = process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? 19092}`;
const CH_URL = process.env.CLICKHOUSE_URL ?? `http://127.0.0.1:${process.env.CLICKHOUSE_HTTP_PORT ?? 18123}`;
const DB = `bench_${Date.now()}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (s) => process.stderr.write(`[bench:pipeline] ${s}\n`);

const kafka = new Kafka({ clientId: 'bench', brokers: BROKERS.split(','), logLevel: logLevel.NOTHING });
const ch = createClient({ url: CH_URL, request_timeout: 120_000 });
const suffix = Date.now();
const topics = { message_trace: `bench-mt-${suffix}`, trace_detail: `bench-td-${suffix}`, ndr: `bench-ndr-${suffix}` };
const dlq = `bench-dlq-${suffix}`;
const group = `bench-${suffix}`;

async function committedBehind(admin) {
  let behind = 0;
  for (const topic of Object.values(topics)) {
    const high = await admin.fetchTopicOffsets(topic);
    const [c] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    const got = new Map(c.partitions.map((p) => [p.partition, Math.max(0, Number(p.offset))]));
    for (const h of high) behind += Math.max(0, Number(h.high) - (got.get(h.partition) ?? 0));
  }
  return behind;
}

function hwmMb(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : null;
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : null;
};

async function main() {
  // A database of its own, migrated with the same files as everything else.
  const mig = spawn(process.execPath, ['services/cli/bin/ndr.js', 'migrate', '--database', DB], {
    cwd: repo,
    stdio: 'ignore',
  });
  if ((await new Promise((r) => mig.on('exit', r))) !== 0) throw new Error('migrate failed');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      ...Object.values(topics).map((topic) => ({ topic, numPartitions: 6 })),
      { topic: dlq, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: String(8 << 20) }] },
    ],
  });

  // Phase A: produce everything, then time the drain.
  log(`producing ${EVENTS} records`);
  const t0 = Date.now();
  await produceToKafka(kafka, topics, createGenerator({ events: EVENTS, seed: 99, scenario: 'demo', minutes: 240 }));
  const produceMs = Date.now() - t0;
  log(`produced in ${(produceMs / 1000).toFixed(1)} s; starting the consumer`);
  // BENCH_CONSUMER_NODE_ARGS, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof', to profile the consumer.
  // Default: the heap cap the README recommends for deployments.
  const nodeArgs = (process.env.BENCH_CONSUMER_NODE_ARGS ?? '--max-old-space-size=192').split(' ').filter(Boolean);
  const consumer = spawn(process.execPath, [...nodeArgs, 'services/consumer/bin/ndr-consumer.js'], {
    cwd: repo,
    env: {
      ...process.env,
      KAFKA_BROKERS: BROKERS,
      CLICKHOUSE_URL: CH_URL,
      CLICKHOUSE_DATABASE: DB,
      NDR_GROUP_ID: group,
      NDR_TOPIC_MESSAGE_TRACE: topics.message_trace,
      NDR_TOPIC_TRACE_DETAIL: topics.trace_detail,
      NDR_TOPIC_NDR: topics.ndr,
      NDR_DEAD_LETTER_TOPIC: dlq,
      NDR_HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const c0 = Date.now();
  let behind = EVENTS;
  while (behind > 0) {
    await sleep(250);
    behind = await committedBehind(admin);
  }
  const drainMs = Date.now() - c0;
  const rssAfterDrain = hwmMb(consumer.pid);
  log(`drained ${EVENTS} in ${(drainMs / 1000).toFixed(1)} s = ${Math.round(EVENTS / (drainMs / 1000))} records/s`);

  // Phase B: steady traffic with probes; time until each probe is queryable.
  const rate = Number(process.env.BENCH_LATENCY_RATE ?? 5000);
  const seconds = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);
  log(`latency: ${rate} records/s for ${seconds} s with a probe every 200 ms`);
  const background = produceToKafka(
    kafka,
    topics,
    createGenerator({ events: rate * seconds, seed: 7, scenario: 'steady' }),
    { ratePerSec: rate },
  );
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const pending = new Map();
  const latencies = [];
  const probeTenant = 'probe.onmicrosoft.com';
  const endAt = Date.now() + seconds * 1000;
  const poller = (async () => {
    while (Date.now() < endAt + 30_000 && (Date.now() < endAt || pending.size > 0)) {
      if (pending.size) {
        const ids = [...pending.keys()].map((id) => `'${id}'`).join(',');
        const rs = await ch.query({
          query: `SELECT DISTINCT message_trace_id AS id FROM ${DB}.events WHERE tenant = '${probeTenant}' AND message_trace_id IN (${ids})`,
          format: 'JSONEachRow',
        });
        const seenAt = Date.now();
        for (const { id } of await rs.json()) {
          latencies.push(seenAt - pending.get(id));
          pending.delete(id);
        }
      }
      await sleep(50);
    }
  })();
  while (Date.now() < endAt) {
    const id = randomUUID();
    const row = {
      Received: new Date().toISOString(),
      SenderAddress: 'probe@probe.example',
      RecipientAddress: 'sink@fabrikam.example',
      Subject: 'probe',
      Status: 'Delivered',
      Size: 1000,
      MessageId: `<${id}@probe.example>`,
      MessageTraceId: id,
      Organization: probeTenant,
    };
    await producer.send({ topic: topics.message_trace, acks: -1, messages: [{ key: id, value: JSON.stringify(row) }] });
    pending.set(id, Date.now());
    await sleep(200);
  }
  await background;
  await poller;
  await producer.disconnect();
  const peakRss = hwmMb(consumer.pid);
  consumer.kill('SIGTERM');
  await new Promise((r) => consumer.on('exit', r));

  const result = {
    benchmark: 'pipeline',
    what: 'Kafka → decode → classify → buffer (TabSeparated) → ClickHouse (one INSERT into events; its materialized view fills agg_minute) → offset commit, consumer as a separate process',
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cpus: cpus().length,
    load_average_at_end: loadavg(),
    clickhouse: (await (await ch.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })).json())[0].v,
    records: EVENTS,
    produce_seconds: produceMs / 1000,
    throughput: {
      drain_seconds: drainMs / 1000,
      records_per_s: Math.round(EVENTS / (drainMs / 1000)),
      target_records_per_s: 100_000,
    },
    latency_ms: {
      rate_per_s: rate,
      probes: latencies.length,
      unseen: pending.size,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      max: Math.max(...latencies),
    },
    consumer_node_args: nodeArgs.join(' '),
    consumer_peak_rss_mb: { after_drain: rssAfterDrain, overall: peakRss, target: 256 },
  };
  mkdirSync(`${repo}bench/results`, { recursive: true });
  writeFileSync(`${repo}bench/results/pipeline.json`, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);

  await admin.deleteTopics({ topics: [...Object.values(topics), dlq] }).catch(() => undefined);
  await admin.deleteGroups([group]).catch(() => undefined);
  await admin.disconnect();
  await ch.command({ query: `DROP DATABASE IF EXISTS ${DB}` });
  await ch.close();
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});

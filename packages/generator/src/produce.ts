/**
 * Sending generated records to Kafka with kafkajs: batches of `batchSize` records per `sendBatch`
 * (acks -1, idempotent producer), keyed `tenant|messageTraceId` so one message's rows share a partition
 * and keep their order. One batch is in flight while the next one is generated; nothing else is held,
 * so memory stays bounded whatever the number of records. Optional rate limit in records per second.
 */
import { Partitioners, type Admin, type Kafka, type Message as KafkaMessage, type Producer } from 'kafkajs';
import type { GenRecord, TopicKind } from './types.js';

export interface ProduceProgress {
  sent: number;
  bytes: number;
  batches: number;
  elapsedMs: number;
}

export interface ProduceOptions {
  /** Records per sendBatch (default 5,000). */
  batchSize?: number;
  /** Records per second; unlimited when absent. */
  ratePerSec?: number;
  /** Called after every acknowledged batch. */
  onProgress?: (p: ProduceProgress) => void;
  /** Stop early (the current batch still completes). */
  signal?: AbortSignal;
  /** Use this producer instead of creating (and disconnecting) one. */
  producer?: Producer;
}

export interface ProduceSummary extends ProduceProgress {
  byTopic: Record<TopicKind, number>;
  aborted: boolean;
}

export const DEFAULT_BATCH_SIZE = 5000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function produceToKafka(
  kafka: Kafka,
  topics: Readonly<Record<TopicKind, string>>,
  records: Iterable<GenRecord>,
  options: ProduceOptions = {},
): Promise<ProduceSummary> {
  const rate = options.ratePerSec;
  if (rate !== undefined && !(rate > 0))
    throw new RangeError(`ratePerSec must be a positive number, got ${String(rate)}`);
  let batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchSize must be a positive integer, got ${String(batchSize)}`);
  // A rate limit sends smaller batches about ten times a second, so the flow is smooth.
  if (rate !== undefined) batchSize = Math.max(1, Math.min(batchSize, Math.ceil(rate / 10)));

  const own = options.producer === undefined;
  const producer =
    options.producer ??
    kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // murmur2 on the key, as Java clients do: one message's records share a partition.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  if (own) await producer.connect();
  const byTopic: Record<TopicKind, number> = { message_trace: 0, trace_detail: 0, ndr: 0 };
  const progress: ProduceProgress = { sent: 0, bytes: 0, batches: 0, elapsedMs: 0 };
  const started = Date.now();
  const iterator = records[Symbol.iterator]();
  let aborted = false;

  const take = () => {
    const groups: Record<TopicKind, KafkaMessage[]> = { message_trace: [], trace_detail: [], ndr: [] };
    let n = 0;
    let bytes = 0;
    while (n < batchSize) {
      const next = iterator.next();
      if (next.done) break;
      const r = next.value;
      groups[r.topic].push({ key: r.key, value: r.value });
      bytes += r.value.length;
      n++;
    }
    return { groups, n, bytes };
  };

  try {
    let inFlight: Promise<void> | null = null;
    for (;;) {
      if (options.signal?.aborted) {
        aborted = true;
        break;
      }
      const batch = take();
      if (inFlight) await inFlight;
      if (batch.n === 0) break;
      const topicMessages = (Object.keys(batch.groups) as TopicKind[])
        .filter((k) => batch.groups[k].length > 0)
        .map((k) => ({ topic: topics[k], messages: batch.groups[k] }));
      inFlight = producer.sendBatch({ topicMessages, acks: -1 }).then(() => {
        for (const k of Object.keys(batch.groups) as TopicKind[]) byTopic[k] += batch.groups[k].length;
        progress.sent += batch.n;
        progress.bytes += batch.bytes;
        progress.batches++;
        progress.elapsedMs = Date.now() - started;
        options.onProgress?.({ ...progress });
      });
      // Awaited before the next send; until then a failure must not count as unhandled.
      inFlight.catch(() => undefined);
      if (rate !== undefined) {
        const ahead = ((progress.sent + batch.n) / rate) * 1000 - (Date.now() - started);
        if (ahead > 0) await sleep(ahead);
      }
    }
    if (inFlight) await inFlight;
  } finally {
    if (own) await producer.disconnect();
  }
  progress.elapsedMs = Date.now() - started;
  return { ...progress, byTopic, aborted };
}

export interface EnsureTopicsOptions {
  partitions?: number;
  /** `max.message.bytes` for topics this call creates (default 4 MiB, room for the 2 MiB malformed payload). */
  maxMessageBytes?: number;
}

/** Creates the topics that do not exist yet (default 6 partitions). Returns the names it created. */
export async function ensureTopics(
  kafka: Kafka,
  names: readonly string[],
  options: EnsureTopicsOptions = {},
): Promise<string[]> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [...new Set(names)].filter((t) => !existing.has(t));
    if (wanted.length === 0) return [];
    await admin.createTopics({
      waitForLeaders: true,
      topics: wanted.map((topic) => ({
        topic,
        numPartitions: options.partitions ?? 6,
        configEntries: [{ name: 'max.message.bytes', value: String(options.maxMessageBytes ?? 4 * 1024 * 1024) }],
      })),
    });
    return wanted;
  } finally {
    await admin.disconnect();
  }
}

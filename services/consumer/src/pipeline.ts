/**
 * Kafka → decode → classify → aggregate → write → commit.
 *
 * Delivery is at least once; exactness comes from the storage (see docs/exactness.md): every
 * table the writer fills is idempotent under replay, so any crash, restart or rebalance that
 * re-reads offsets changes no total. The pipeline's own duties are therefore simple:
 * - commit an offset only after everything before it is durable (ClickHouse rows, dead letters);
 * - when a flush is abandoned, drop everything not yet written and seek back, so the same messages
 *   are read again and no later commit can pass over them;
 * - never buffer without bound: a full buffer is handed to the writer while reading goes on into a
 *   fresh one; when that one is full too, wait for the writer (heartbeating). At most two buffers.
 */
import type { Consumer, EachBatchPayload, Producer } from 'kafkajs';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { Classifier } from '@ndr/classifier';
import type { Decoder, TopicKind } from '@ndr/events';
import { EventBuffer, type Writer } from '@ndr/writer';
import type { ConsumerConfig } from './config.js';
import { sendDeadLetters, type DeadLetter } from './dead-letter.js';
import type { Metrics } from './metrics.js';
import { OffsetTracker, type TopicPartitionOffset } from './offsets.js';

export interface PipelineDeps {
  readonly consumer: Consumer;
  readonly producer: Producer;
  readonly writer: Writer;
  readonly decoder: Decoder;
  readonly classifier: Classifier;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly now?: () => number;
}

export interface Pipeline {
  /** Subscribes and starts consuming; resolves once the consumer runs. */
  start(): Promise<void>;
  /** Flushes what is buffered, commits, leaves the group. */
  stop(): Promise<void>;
  /** Joined the group and the last flush (if any) succeeded. */
  ready(): boolean;
  /** Forces a flush now (tests, shutdown). */
  flush(reason: string): Promise<void>;
  /** The writer reports whether it is retrying (ClickHouse slow or down): part of the paused state. */
  setWriterRetrying(retrying: boolean): void;
}

/** Dead letters held before a flush is forced, so a flood of bad input stays bounded too. */
const MAX_PENDING_DEAD_LETTERS = 10_000;

export function createPipeline(config: ConsumerConfig, deps: PipelineDeps): Pipeline {
  const { consumer, producer, writer, decoder, classifier, metrics, log } = deps;
  const now = deps.now ?? Date.now;
  const kindOf = new Map<string, TopicKind>(
    (Object.entries(config.topics) as [TopicKind, string][]).map(([kind, topic]) => [topic, kind]),
  );
  const buffer = new EventBuffer();
  const offsets = new OffsetTracker();
  let deadLetters: DeadLetter[] = [];
  const flushLock = pLimit(1);
  let joined = false;
  let lastFlushOk = true;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight = 0;
  let idle: (() => void) | undefined;
  // Paused = consumption is held back because of ClickHouse: a full buffer waits, or the writer retries.
  let waitingForWriter = false;
  let writerRetrying = false;
  /** When the flush now in flight started (0: none). A flush slower than this counts as held back. */
  let flushSince = 0;
  const slowFlushMs = Math.max(2_000, 2 * config.flushIntervalMs);
  const updatePaused = () =>
    metrics.paused.set(
      waitingForWriter || writerRetrying || (flushSince > 0 && now() - flushSince > slowFlushMs) ? 1 : 0,
    );
  let pausedTimer: NodeJS.Timeout | undefined;

  function process(batch: EachBatchPayload['batch'], payload: EachBatchPayload): void {
    const kind = kindOf.get(batch.topic);
    const at = now();
    let rejected = 0;
    // Checked once: this loop is synchronous, so neither a seek (made by a failed flush) nor a stop can
    // happen while it runs.
    if (!payload.isRunning() || payload.isStale() || batch.messages.length === 0) return;
    const sourcePrefix = `kafka:${batch.topic}/${batch.partition}/`;
    for (const m of batch.messages) {
      if (kind === undefined) {
        deadLetters.push(letter(batch, m, 'unknown_topic', `no topic kind configured for ${batch.topic}`));
        rejected++;
      } else {
        const r = decoder.decode(kind, m.value);
        if (r.ok) {
          const c = classifier.classify(
            r.event.diagnostic ?? '',
            r.event.status_code ? { statusCode: r.event.status_code } : undefined,
          );
          if (c.entry === null && r.event.schema !== 'message_trace') metrics.unclassified.inc();
          buffer.add(r.event, c, sourcePrefix + m.offset, at);
        } else {
          deadLetters.push(letter(batch, m, r.reason, r.detail));
          metrics.eventsRejected.inc({ reason: r.reason });
          rejected++;
        }
      }
    }
    // The batch is in order: its first offset is where re-reading would start, its last is what a commit covers.
    const first = batch.messages[0]!.offset;
    const last = batch.messages[batch.messages.length - 1]!.offset;
    offsets.track(batch.topic, batch.partition, first);
    offsets.track(batch.topic, batch.partition, last);
    payload.resolveOffset(last);
    metrics.eventsIn.inc({ topic: batch.topic }, batch.messages.length);
    metrics.buffered.set(buffer.eventCount);
    metrics.lag.set({ topic: batch.topic, partition: String(batch.partition) }, Number(batch.offsetLag()));
    if (rejected && log.isLevelEnabled('debug'))
      log.debug({ topic: batch.topic, partition: batch.partition, rejected }, 'messages sent to dead letters');
  }

  function letter(
    batch: EachBatchPayload['batch'],
    m: EachBatchPayload['batch']['messages'][number],
    reason: DeadLetter['reason'],
    detail: string,
  ): DeadLetter {
    return {
      topic: batch.topic,
      partition: batch.partition,
      offset: m.offset,
      key: m.key,
      value: m.value,
      reason,
      detail,
    };
  }

  const full = () =>
    buffer.eventCount >= config.maxBufferEvents ||
    buffer.approxBytes >= config.maxBufferBytes ||
    deadLetters.length >= MAX_PENDING_DEAD_LETTERS;

  async function flushOnce(reason: string): Promise<void> {
    if (offsets.size === 0 && buffer.eventCount === 0 && deadLetters.length === 0) return;
    const contents = buffer.drain();
    const letters = deadLetters;
    deadLetters = [];
    const { commit, rewind } = offsets.take();
    metrics.buffered.set(0);
    const t0 = now();
    try {
      await sendDeadLetters(producer, config.deadLetterTopic, letters);
      const report = await writer.write(contents);
      metrics.eventsOut.inc(report.events);
      lastFlushOk = true;
      metrics.flushes.inc({ result: 'ok' });
      if (log.isLevelEnabled('debug')) {
        log.debug({ reason, events: report.events, deadLetters: letters.length, ms: now() - t0 }, 'flushed');
      }
    } catch (err) {
      lastFlushOk = false;
      metrics.flushes.inc({ result: 'error' });
      // Read the same messages again: nothing of this range is committed, and rewriting it is idempotent.
      // What was read while this flush ran is dropped too and re-read from the same point, so the next
      // successful flush cannot commit offsets past a range that never reached ClickHouse.
      const newer = offsets.take();
      buffer.drain();
      deadLetters = [];
      metrics.buffered.set(0);
      for (const r of earliest(rewind, newer.rewind)) {
        try {
          consumer.seek(r);
        } catch (seekErr) {
          log.warn(
            { err: seekErr, ...r },
            'could not seek back (partition no longer assigned); its new owner re-reads it',
          );
        }
      }
      log.error(
        { err, reason, events: contents.eventCount, partitions: rewind.length + newer.rewind.length },
        'flush failed; offsets not committed, the range will be re-read',
      );
      return;
    }
    try {
      await consumer.commitOffsets(commit);
    } catch (err) {
      // Typically a rebalance: the rows are durable, the next owner re-reads the range idempotently.
      metrics.commitFailures.inc();
      log.warn(
        { err, partitions: commit.length },
        'offset commit refused (rebalance?); data is written, the range may be re-read without changing totals',
      );
    }
  }

  const flush = (reason: string) =>
    flushLock(async () => {
      flushSince = now();
      try {
        await flushOnce(reason);
      } finally {
        flushSince = 0;
        updatePaused();
      }
    });

  /** A flush is running or queued. */
  const flushBusy = () => flushLock.activeCount + flushLock.pendingCount > 0;

  /** Hands the buffer to the writer without waiting; reading goes on into a fresh buffer. */
  function startFlush(reason: string): void {
    flush(reason).catch((err: unknown) => log.error({ err, reason }, 'flush failed'));
  }

  /** Waits until no flush runs or is queued, keeping the group membership alive meanwhile. */
  async function waitForWriter(heartbeat: () => Promise<void>): Promise<void> {
    waitingForWriter = true;
    updatePaused();
    const beat = setInterval(() => {
      heartbeat().catch(() => undefined); // a rebalance surfaces after this batch returns
    }, config.heartbeatIntervalMs);
    try {
      await flushLock(async () => undefined); // queued behind every flush before it
    } finally {
      clearInterval(beat);
      waitingForWriter = false;
      updatePaused();
    }
  }

  return {
    async start() {
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        joined = true;
        log.info({ groupId: config.groupId, assignment: e.payload.memberAssignment }, 'joined consumer group');
      });
      consumer.on(consumer.events.CRASH, (e) => {
        joined = false;
        log.error({ err: e.payload.error, restart: e.payload.restart }, 'consumer crashed');
      });
      await consumer.subscribe({ topics: Object.values(config.topics), fromBeginning: config.fromBeginning });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: config.partitionsConsumedConcurrently,
        eachBatch: async (payload) => {
          inFlight++;
          try {
            if (stopping) return;
            process(payload.batch, payload);
            await payload.heartbeat();
            if (full()) {
              // One buffer is being written and this one is full as well: hold reading until the writer is done.
              if (flushBusy()) await waitForWriter(payload.heartbeat);
              if (full() && !stopping) startFlush('buffer full');
            }
          } finally {
            if (--inFlight === 0) idle?.();
          }
        },
      });
      timer = setInterval(() => {
        if (!stopping && !flushBusy()) startFlush('interval');
      }, config.flushIntervalMs);
      timer.unref();
      pausedTimer = setInterval(updatePaused, 1_000);
      pausedTimer.unref();
    },
    async stop() {
      stopping = true;
      clearInterval(timer);
      clearInterval(pausedTimer);
      if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
      await flush('shutdown');
      await consumer.disconnect();
      joined = false;
    },
    ready: () => joined && lastFlushOk && !stopping,
    flush,
    setWriterRetrying(retrying) {
      writerRetrying = retrying;
      updatePaused();
    },
  };
}

/** Per partition, the lowest of the offsets given: where re-reading must start. */
function earliest(...lists: readonly TopicPartitionOffset[][]): TopicPartitionOffset[] {
  const out = new Map<string, TopicPartitionOffset>();
  for (const list of lists) {
    for (const r of list) {
      const k = `${r.topic}\0${r.partition}`;
      const cur = out.get(k);
      if (!cur || BigInt(r.offset) < BigInt(cur.offset)) out.set(k, r);
    }
  }
  return [...out.values()];
}

/**
 * Where accepted rows go. Both sinks hold rows until a flush, report per file the first row they still
 * hold (the checkpoint's durable row is the one before it) and keep at most one flush in flight, so
 * reading continues while ClickHouse or Kafka works on the previous batch.
 *
 * - ClickHouse: PartitionedBuffer (one day per insert) → the live pipeline's writer (events, whose
 *   materialized view fills agg_minute; retries; idempotent tables).
 * - Kafka: the rows' original JSON to the input topics, keyed `tenant|MessageTraceId` like the generator
 *   and the pollers; the live consumer does the rest.
 */
import type { Classification } from '@ndr/classifier';
import type { NormalizedEvent, TopicKind } from '@ndr/events';
import type { Writer } from '@ndr/writer';
import { PartitionedBuffer, type DayPart } from './partition-buffer.js';

export interface Accepted {
  event: NormalizedEvent;
  classification: Classification | null;
  /** The row as read (the @ndr/events shape), for Kafka. */
  value: Record<string, unknown>;
  kind: TopicKind;
  source: string;
  file: number;
  rowNo: number;
}

export interface FlushReport {
  rows: number;
  /** Day partition written (ClickHouse), null for Kafka. */
  day: number | null;
  durationMs: number;
}

export interface Sink {
  add(a: Accepted, ingestedAtMs: number): void;
  readonly rows: number;
  readonly approxBytes: number;
  /** The smallest row number of a file held or in flight, or undefined. */
  firstHeldRow(file: number): number | undefined;
  /** Waits for the flush in flight (if any), then starts flushing one batch; rejects if a flush failed. */
  flushSome(): Promise<void>;
  /** Flushes everything and waits until it is durable. */
  drain(): Promise<void>;
}

/** Minimal Kafka producer surface (kafkajs `Producer` fits). */
export interface KafkaSend {
  sendBatch(batch: {
    topicMessages: { topic: string; messages: { key: string; value: string }[] }[];
    acks: number;
  }): Promise<unknown>;
}

abstract class OneInFlight {
  private inFlight: Promise<void> | null = null;
  private failure: unknown = null;

  protected abstract startOne(): Promise<void> | null;

  async flushSome(): Promise<void> {
    await this.settle();
    const p = this.startOne();
    if (p !== null) {
      this.inFlight = p.then(
        () => undefined,
        (err: unknown) => {
          this.failure = err;
        },
      );
    }
  }

  protected async settle(): Promise<void> {
    if (this.inFlight !== null) await this.inFlight;
    this.inFlight = null;
    if (this.failure !== null) {
      const err = this.failure;
      this.failure = null;
      throw err;
    }
  }
}

export class ClickHouseSink extends OneInFlight implements Sink {
  private readonly buffer = new PartitionedBuffer();
  private flying: DayPart | null = null;

  constructor(
    private readonly writer: Writer,
    private readonly onFlushed: (r: FlushReport) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    super();
  }

  add(a: Accepted, ingestedAtMs: number): void {
    this.buffer.add(a.event, a.classification!, a.source, ingestedAtMs, a.file, a.rowNo);
  }

  get rows(): number {
    return this.buffer.rows;
  }

  get approxBytes(): number {
    return this.buffer.approxBytes;
  }

  get partitions(): number {
    return this.buffer.partitions;
  }

  firstHeldRow(file: number): number | undefined {
    const held = this.buffer.firstHeldRow(file);
    const flying = this.flying?.firstRow.get(file);
    if (flying === undefined) return held;
    return held === undefined ? flying : Math.min(held, flying);
  }

  protected startOne(): Promise<void> | null {
    const part = this.buffer.takeFullest();
    if (part === undefined) return null;
    this.flying = part;
    const t0 = this.now();
    return this.writer.write(part.buffer.drain()).then(() => {
      this.flying = null;
      this.onFlushed({ rows: part.rows, day: part.day, durationMs: this.now() - t0 });
    });
  }

  async drain(): Promise<void> {
    while (this.buffer.rows > 0) await this.flushSome();
    await this.settle();
  }
}

export class KafkaSink extends OneInFlight implements Sink {
  private pending: { topic: string; key: string; value: string; file: number; rowNo: number }[] = [];
  private bytes = 0;
  private flying: Map<number, number> | null = null;
  private firstRow = new Map<number, number>();

  constructor(
    private readonly producer: KafkaSend,
    private readonly topics: Readonly<Record<TopicKind, string>>,
    private readonly messagesPerSend: number,
    private readonly onFlushed: (r: FlushReport) => void,
  ) {
    super();
  }

  add(a: Accepted): void {
    const value = JSON.stringify(a.value);
    const key = `${a.event.tenant}|${a.event.message_trace_id ?? a.event.message_id ?? a.event.natural_key}`;
    this.pending.push({ topic: this.topics[a.kind], key, value, file: a.file, rowNo: a.rowNo });
    this.bytes += value.length + key.length + 64;
    if (!this.firstRow.has(a.file)) this.firstRow.set(a.file, a.rowNo);
  }

  get rows(): number {
    return this.pending.length;
  }

  get approxBytes(): number {
    return this.bytes;
  }

  firstHeldRow(file: number): number | undefined {
    const held = this.firstRow.get(file);
    const flying = this.flying?.get(file);
    if (flying === undefined) return held;
    return held === undefined ? flying : Math.min(held, flying);
  }

  protected startOne(): Promise<void> | null {
    if (this.pending.length === 0) return null;
    const batch = this.pending;
    this.flying = this.firstRow;
    this.pending = [];
    this.firstRow = new Map();
    this.bytes = 0;
    const t0 = performance.now();
    const send = async () => {
      for (let i = 0; i < batch.length; i += this.messagesPerSend) {
        const byTopic = new Map<string, { key: string; value: string }[]>();
        for (const m of batch.slice(i, i + this.messagesPerSend)) {
          let list = byTopic.get(m.topic);
          if (list === undefined) byTopic.set(m.topic, (list = []));
          list.push({ key: m.key, value: m.value });
        }
        await this.producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
      }
      this.flying = null;
      this.onFlushed({ rows: batch.length, day: null, durationMs: performance.now() - t0 });
    };
    return send();
  }

  async drain(): Promise<void> {
    while (this.pending.length > 0) await this.flushSome();
    await this.settle();
  }
}

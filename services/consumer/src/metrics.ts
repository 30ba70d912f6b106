/** Prometheus metrics of the consumer; label values come from closed lists only. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry, prefix: 'ndr_' });
  const m = {
    registry,
    eventsIn: new Counter({
      name: 'ndr_events_in_total',
      help: 'Kafka messages read',
      labelNames: ['topic'],
      registers: [registry],
    }),
    eventsOut: new Counter({
      name: 'ndr_events_written_total',
      help: 'events durable in ClickHouse',
      registers: [registry],
    }),
    eventsRejected: new Counter({
      name: 'ndr_events_rejected_total',
      help: 'messages sent to the dead-letter topic, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    unclassified: new Counter({
      name: 'ndr_events_unclassified_total',
      help: 'events whose diagnostic matched no catalogue entry',
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'ndr_consumer_lag',
      help: 'messages behind the high watermark',
      labelNames: ['topic', 'partition'],
      registers: [registry],
    }),
    insertSeconds: new Histogram({
      name: 'ndr_insert_duration_seconds',
      help: 'ClickHouse insert latency',
      labelNames: ['table'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    insertRows: new Histogram({
      name: 'ndr_insert_rows',
      help: 'rows per ClickHouse insert',
      labelNames: ['table'],
      buckets: [1, 10, 100, 1_000, 10_000, 50_000, 100_000, 500_000],
      registers: [registry],
    }),
    insertRetries: new Counter({
      name: 'ndr_insert_retries_total',
      help: 'insert attempts that failed and were retried',
      labelNames: ['table'],
      registers: [registry],
    }),
    flushes: new Counter({
      name: 'ndr_flushes_total',
      help: 'buffer flushes by result',
      labelNames: ['result'],
      registers: [registry],
    }),
    commitFailures: new Counter({
      name: 'ndr_commit_failures_total',
      help: 'offset commits refused (e.g. during a rebalance); the data was written, the range is replayed idempotently',
      registers: [registry],
    }),
    paused: new Gauge({
      name: 'ndr_consumer_paused',
      help: '1 while consumption waits for ClickHouse (backpressure)',
      registers: [registry],
    }),
    buffered: new Gauge({
      name: 'ndr_buffer_events',
      help: 'events held in memory, not yet written',
      registers: [registry],
    }),
  };
  return m;
}
export type Metrics = ReturnType<typeof createMetrics>;

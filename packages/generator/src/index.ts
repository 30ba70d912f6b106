/**
 * @ndr/generator: realistic Exchange Online message-trace rows, trace-detail events and NDRs (plus
 * malformed messages) as Kafka records, deterministic from a seed and streamed in constant memory,
 * with the ground truth the pipeline's totals must equal. Independent of @ndr/events and
 * @ndr/classifier by design: the truth is computed from the generator's own plan.
 */
export { createGenerator, expectedFor, EXPECTED_FORMAT } from './create.js';
export type { Expected, TrafficGenerator } from './create.js';
export { DEFAULT_START_MS, generatorOptionsSchema, resolveOptions } from './options.js';
export type { GeneratorOptions, ResolvedOptions } from './options.js';
export { DEFAULT_BATCH_SIZE, ensureTopics, produceToKafka } from './produce.js';
export type { EnsureTopicsOptions, ProduceOptions, ProduceProgress, ProduceSummary } from './produce.js';
export { GeneratorError, GENERATOR_ERROR_CODES } from './errors.js';
export type { GeneratorErrorCode } from './errors.js';
export { MALFORMED_KINDS, OVERSIZE_BYTES } from './malformed.js';
export type { MalformedKind } from './malformed.js';
export { ALL_REPLIES, BANNED_IP_REPLIES, REPLIES } from './replies.js';
export type { ReplyContext, ReplyTemplate } from './replies.js';
export { DMARC_BASELINE_PER_MINUTE, DMARC_SPIKE_PER_MINUTE, REFERENCE_RECORDS_PER_MINUTE } from './scenario.js';
export type { ScenarioName } from './scenario.js';
export type { MessageCounts, PerTopic, RecordTotals, TenantExpected } from './truth.js';
export { TOPIC_KINDS } from './types.js';
export type { ExpectedRejectReason, GenRecord, RecordNote, ShapeName, TopicKind } from './types.js';
export { toNdjsonLine } from './ndjson.js';

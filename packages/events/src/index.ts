/**
 * @ndr/events: versioned input schemas (one file per shape and version), the normaliser that turns each
 * into one NormalizedEvent, and the Kafka-value decoder. No Kafka, ClickHouse or logging imports.
 */
export * as messageTraceV2 from './schemas/message-trace-v2.js';
export * as messageTraceGraph from './schemas/message-trace-graph.js';
export * as traceDetailV2 from './schemas/trace-detail-v2.js';
export * as traceDetailGraph from './schemas/trace-detail-graph.js';
export * as ndrDsn from './schemas/ndr-dsn.js';

export { createDecoder, decodeEvent, DEFAULT_MAX_BYTES } from './decode.js';
export type { Decoder, DecoderOptions, DecodeResult } from './decode.js';
export {
  normalizeMessageTraceGraph,
  normalizeMessageTraceV2,
  normalizeNdrDsn,
  normalizeTraceDetailGraph,
  normalizeTraceDetailV2,
} from './normalize.js';
export type { NormalizeOptions, NormalizeResult } from './normalize.js';
export { normalizedEventSchema, SCHEMA_KINDS } from './normalized-event.js';
export type { NormalizedEvent, SchemaKind } from './normalized-event.js';
export { detailEventKey, ndrKey, traceRowKey } from './natural-key.js';
export type { NdrKeyParts } from './natural-key.js';
export { REJECT_REASONS, describeIssues, reject } from './reject.js';
export type { ParseResult, Rejected, RejectReason } from './reject.js';
export { SHAPES, SHAPES_BY_KIND, shapeByName } from './shapes.js';
export type { Shape } from './shapes.js';
export { DEFAULT_DEAD_LETTER_TOPIC, DEFAULT_TOPICS, isTopicKind, TOPIC_KINDS } from './topics.js';
export type { TopicKind } from './topics.js';
export { jsonSchemas } from './json-schema.js';
export { EXAMPLES } from './examples.js';
export type { JsonSchema } from './json-schema.js';

export { parseTimestamp, keySecond, TIMESTAMP_PATTERN } from './fields/timestamp.js';
export { normalizeGuid } from './fields/ids.js';
export { domainOf, normalizeAddress, normalizeHost } from './fields/address.js';
export { DIRECTIONS, inferDirection } from './fields/direction.js';
export type { Direction, TenantDomains } from './fields/direction.js';
export { pickTenant } from './fields/envelope.js';
export { DSN_ACTIONS, detailPhaseRank, dsnActionRank, isTerminal, toSnake, traceStatusRank } from './fields/status.js';
export type { DsnAction } from './fields/status.js';
export { detailFacts, mepValue } from './fields/detail-text.js';
export type { DetailFacts } from './fields/detail-text.js';

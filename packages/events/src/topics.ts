/** Topic kinds (one per input family) and the proposed default topic names. */
import { SCHEMA_KINDS, type SchemaKind } from './normalized-event.js';

export const TOPIC_KINDS = SCHEMA_KINDS;
export type TopicKind = SchemaKind;

export const DEFAULT_TOPICS: Readonly<Record<TopicKind, string>> = Object.freeze({
  message_trace: 'exo.message-trace',
  trace_detail: 'exo.trace-detail',
  ndr: 'exo.ndr',
});

/** Where rejected messages go, with the RejectReason and detail in headers. */
export const DEFAULT_DEAD_LETTER_TOPIC = 'exo.dead-letter';

export function isTopicKind(value: unknown): value is TopicKind {
  return typeof value === 'string' && (TOPIC_KINDS as readonly string[]).includes(value);
}

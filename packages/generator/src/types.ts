/** The plan of one message (everything the records and the ground truth are made from) and the records. */
import type { ReplyTemplate } from './replies.js';
import type { ExternalDomain, Tenant } from './world.js';

export type TopicKind = 'message_trace' | 'trace_detail' | 'ndr';
export const TOPIC_KINDS: readonly TopicKind[] = ['message_trace', 'trace_detail', 'ndr'];

export type ShapeName =
  'message-trace-v2' | 'message-trace-graph' | 'trace-detail-v2' | 'trace-detail-graph' | 'ndr-dsn';

/** Reject reasons a malformed record is expected to get (names as in @ndr/events REJECT_REASONS). */
export type ExpectedRejectReason =
  | 'empty_payload'
  | 'oversize'
  | 'invalid_encoding'
  | 'invalid_json'
  | 'not_an_object'
  | 'batch_envelope'
  | 'unknown_shape'
  | 'unsupported_version'
  | 'schema_mismatch'
  | 'missing_tenant';

/** Test-only facts about a record (`annotate: true`). */
export interface RecordNote {
  /** Input shape of a valid record. */
  shape?: ShapeName;
  tenant?: string;
  /** `(message_trace_id or message_id)|recipient`, canonical. */
  messageKey?: string;
  /** For bounce records: the code the ground truth counts it under. */
  code?: string;
  /** The reply template id behind a Fail/Defer/Drop event or NDR. */
  reply?: string;
  /** A re-emitted copy of an earlier record. */
  duplicate?: boolean;
  /** Malformed records: the reject reason the decoder should give. */
  reject?: ExpectedRejectReason;
  /** Malformed records: which kind of damage. */
  malformed?: string;
}

/** One Kafka record: topic kind, key (`tenant|messageTraceId`), value bytes. */
export interface GenRecord {
  topic: TopicKind;
  key: string;
  value: Buffer;
  note?: RecordNote;
}

export type Surface = 'v2' | 'graph';
export type Direction = 'inbound' | 'outbound' | 'intra';
export type TraceStatus =
  'getting_status' | 'pending' | 'delivered' | 'failed' | 'quarantined' | 'filtered_as_spam' | 'expanded';
export type DetailEvent =
  'Receive' | 'Submit' | 'Send external' | 'Deliver' | 'Fail' | 'Defer' | 'Drop' | 'Expand' | 'Spam';
export type NdrAction = 'failed' | 'delayed' | 'relayed';

export interface Recipient {
  /** Canonical (lower-case) address. */
  address: string;
  /** The external domain for outbound recipients (remote host profile, MX), else null. */
  ext: ExternalDomain | null;
}

interface RecBase {
  /** Emit this many messages later in the stream (0 = now). */
  delay: number;
  /** -1, or emit an identical copy this many messages later. */
  dup: number;
}
/** A message-trace row of recipient `r` (-1: the NDR's own row, addressed to the original sender). */
export interface TraceRec extends RecBase {
  kind: 'trace';
  r: number;
  status: TraceStatus;
}
export interface DetailRec extends RecBase {
  kind: 'detail';
  r: number;
  event: DetailEvent;
  t: number;
  reply: ReplyTemplate | null;
  seqNo: number;
}
export interface NdrRec extends RecBase {
  kind: 'ndr';
  r: number;
  action: NdrAction;
  /** The NDR's event time (last_attempt_date ?? ndr_date). */
  t: number;
  reply: ReplyTemplate | null;
  /** `exo`: Exchange's NDR to an internal sender; `remote`: a DSN written by the remote MTA. */
  style: 'exo' | 'remote';
  /** Whether the producer extracted the original's network message id (else only its Message-ID). */
  nmid: boolean;
}
export type Rec = TraceRec | DetailRec | NdrRec;

export interface Message {
  seq: number;
  tenant: Tenant;
  /** Canonical MessageTraceId (lower-case, dashed). */
  mtid: string;
  messageId: string;
  sender: string;
  subject: string;
  size: number;
  /** FromIP of the trace row ('' when none). */
  fromIp: string;
  /** The IP a remote host saw (named in IP-based rejections). */
  clientIp: string;
  /** Received (epoch ms). */
  t0: number;
  surface: Surface;
  direction: Direction;
  /** The mailbox server that handled it. */
  server: string;
  rcpts: Recipient[];
  recs: Rec[];
  /** Exchange's NDR message, when one was sent for this message. */
  ndr: { mtid: string; messageId: string; t: number } | null;
}

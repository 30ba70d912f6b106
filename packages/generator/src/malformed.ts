/**
 * Messages the pipeline must refuse, each with the reject reason @ndr/events documents for it (the
 * generator does not run the decoder to find out: a wrong reason in the decoder is what this catches).
 * The first five are the classic ones (truncated JSON, random bytes, wrong types, missing tenant, one
 * 2 MiB payload); the rest are producer mistakes seen in practice. The oversize payload appears once.
 */
import type { Rng } from './random.js';
import { graphDate, psDate, rfc5322 } from './time-format.js';
import type { ExpectedRejectReason, GenRecord, TopicKind } from './types.js';
import type { Tenant } from './world.js';

export interface MalformedKind {
  name: string;
  topic: TopicKind;
  reason: ExpectedRejectReason;
}

const k = (name: string, topic: TopicKind, reason: ExpectedRejectReason): MalformedKind => ({ name, topic, reason });

export const MALFORMED_KINDS: readonly MalformedKind[] = [
  k('truncated-json', 'message_trace', 'invalid_json'),
  k('random-bytes', 'trace_detail', 'invalid_encoding'),
  k('wrong-types', 'message_trace', 'schema_mismatch'),
  k('missing-tenant', 'message_trace', 'missing_tenant'),
  k('oversize-2mib', 'ndr', 'oversize'),
  k('graph-page', 'message_trace', 'batch_envelope'),
  k('defender-record', 'message_trace', 'unknown_shape'),
  k('json-null', 'trace_detail', 'not_an_object'),
  k('ndr-schema-v2', 'ndr', 'unsupported_version'),
  k('empty-value', 'trace_detail', 'empty_payload'),
  k('day-first-date', 'trace_detail', 'schema_mismatch'),
  k('utf16be', 'message_trace', 'invalid_encoding'),
  k('ndr-without-ids', 'ndr', 'schema_mismatch'),
  k('ndr-on-trace-topic', 'message_trace', 'unknown_shape'),
];
const REPEATING = MALFORMED_KINDS.filter((x) => x.reason !== 'oversize');

/** The i-th malformed message's kind (0-based): every kind once in order, then all but the oversize one, cyclically. */
export function malformedKind(i: number): MalformedKind {
  return i < MALFORMED_KINDS.length ? MALFORMED_KINDS[i]! : REPEATING[(i - MALFORMED_KINDS.length) % REPEATING.length]!;
}

/** 2 MiB + a little: over the decoder's 1 MiB default, under the local broker's 4 MiB message limit. */
export const OVERSIZE_BYTES = 2 * 1024 * 1024 + 512;

export function renderMalformed(
  kind: MalformedKind,
  rng: Rng,
  tenant: Tenant,
  t: number,
  annotate: boolean,
): GenRecord {
  const mtid = `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`;
  const rcpt = `user${rng.between(1, 999)}@${tenant.domain}`;
  const row = {
    Received: psDate(t, rng.int(10_000)),
    SenderAddress: `noreply@${tenant.domain}`,
    RecipientAddress: rcpt,
    Subject: 'Weekly status',
    Status: 'Delivered',
    ToIP: null,
    FromIP: '',
    Size: rng.between(2000, 90_000),
    MessageId: `<${rng.hex(16)}@${tenant.servers[0]}>`,
    MessageTraceId: mtid,
    Organization: tenant.id,
  };
  const ndr = {
    schema_version: 1,
    tenant: tenant.id,
    ndr_date: rfc5322(t),
    original_sender: `noreply@${tenant.domain}`,
    original_message_id: row.MessageId,
    original_network_message_id: mtid,
    final_recipient: `rfc822;${rcpt}`,
    action: 'failed',
    status: '5.1.1',
    diagnostic_code: 'smtp;550 5.1.1 User unknown',
  };
  let value: Buffer;
  switch (kind.name) {
    case 'truncated-json': {
      const text = JSON.stringify(row);
      value = Buffer.from(text.slice(0, rng.between(1, text.length - 1)));
      break;
    }
    case 'random-bytes': {
      // 0x80 cannot start a UTF-8 sequence, and a non-zero second byte rules out UTF-16LE detection.
      value = Buffer.alloc(rng.between(16, 300));
      for (let i = 0; i < value.length; i++) value[i] = rng.int(256);
      value[0] = 0x80;
      value[1] = 0x81 + rng.int(100);
      break;
    }
    case 'wrong-types': {
      const variant = rng.int(3);
      value = Buffer.from(
        JSON.stringify(
          variant === 0
            ? { ...row, Size: String(row.Size) }
            : variant === 1
              ? { ...row, Received: t }
              : { ...row, MessageTraceId: 'not-a-guid' },
        ),
      );
      break;
    }
    case 'missing-tenant': {
      const { tenant: _t, ...graph } = {
        id: mtid,
        senderAddress: row.SenderAddress,
        recipientAddress: rcpt,
        receivedDateTime: graphDate(t),
        status: 'delivered',
        size: row.Size,
        tenant: null,
      };
      value = Buffer.from(JSON.stringify(graph));
      break;
    }
    case 'oversize-2mib': {
      const head = JSON.stringify({ ...ndr, original_message_base64: '' });
      const filler = 'QUJD'.repeat(Math.ceil((OVERSIZE_BYTES - head.length) / 4));
      value = Buffer.from(JSON.stringify({ ...ndr, original_message_base64: filler }));
      break;
    }
    case 'graph-page':
      value = Buffer.from(
        JSON.stringify({
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#admin/exchange/tracing/messageTraces',
          '@odata.nextLink': `https://graph.microsoft.com/v1.0/admin/exchange/tracing/messageTraces?$skiptoken=${rng.hex(24)}`,
          value: [
            {
              id: mtid,
              recipientAddress: rcpt,
              receivedDateTime: graphDate(t),
              status: 'delivered',
              senderAddress: row.SenderAddress,
            },
          ],
        }),
      );
      break;
    case 'defender-record':
      value = Buffer.from(
        JSON.stringify({
          Timestamp: graphDate(t),
          NetworkMessageId: mtid,
          InternetMessageId: row.MessageId,
          SenderFromAddress: row.SenderAddress,
          RecipientEmailAddress: rcpt,
          EmailDirection: 'Outbound',
          DeliveryAction: 'Delivered',
          DeliveryLocation: 'On-premises/External',
        }),
      );
      break;
    case 'json-null':
      value = Buffer.from('null');
      break;
    case 'ndr-schema-v2':
      value = Buffer.from(JSON.stringify({ ...ndr, schema_version: 2 }));
      break;
    case 'empty-value':
      value = Buffer.alloc(0);
      break;
    case 'day-first-date':
      value = Buffer.from(
        JSON.stringify({
          Date: '20/11/2026 09:14:07',
          Event: 'Deliver',
          Detail: 'The message was successfully delivered.',
          MessageTraceId: mtid,
          RecipientAddress: rcpt,
          Organization: tenant.id,
        }),
      );
      break;
    case 'utf16be': {
      const le = Buffer.from(`\ufeff${JSON.stringify(row)}`, 'utf16le');
      value = le.swap16();
      break;
    }
    case 'ndr-without-ids': {
      const { original_network_message_id: _n, original_message_id: _m, ...rest } = ndr;
      value = Buffer.from(JSON.stringify(rest));
      break;
    }
    default: // ndr-on-trace-topic
      value = Buffer.from(JSON.stringify(ndr));
  }
  const key = kind.name === 'missing-tenant' || kind.name === 'random-bytes' ? `|${mtid}` : `${tenant.id}|${mtid}`;
  return annotate
    ? { topic: kind.topic, key, value, note: { reject: kind.reason, malformed: kind.name } }
    : { topic: kind.topic, key, value };
}

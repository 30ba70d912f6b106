/**
 * Dead letters: the original bytes of a message the pipeline cannot use, with why and where
 * it came from in headers. Sent before the offsets that cover them are committed.
 */
import type { IHeaders, Producer } from 'kafkajs';
import type { RejectReason } from '@ndr/events';

export interface DeadLetter {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly reason: RejectReason;
  readonly detail: string;
  readonly headers?: IHeaders;
}

export const DLQ_HEADERS = {
  reason: 'ndr-reject-reason',
  detail: 'ndr-reject-detail',
  topic: 'ndr-source-topic',
  partition: 'ndr-source-partition',
  offset: 'ndr-source-offset',
  at: 'ndr-rejected-at',
} as const;

export async function sendDeadLetters(
  producer: Producer,
  topic: string,
  letters: readonly DeadLetter[],
): Promise<void> {
  if (letters.length === 0) return;
  const at = new Date().toISOString();
  await producer.send({
    topic,
    acks: -1,
    messages: letters.map((d) => ({
      key: d.key,
      value: d.value,
      headers: {
        ...d.headers,
        [DLQ_HEADERS.reason]: d.reason,
        [DLQ_HEADERS.detail]: d.detail,
        [DLQ_HEADERS.topic]: d.topic,
        [DLQ_HEADERS.partition]: String(d.partition),
        [DLQ_HEADERS.offset]: d.offset,
        [DLQ_HEADERS.at]: at,
      },
    })),
  });
}

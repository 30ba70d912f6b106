/**
 * A message-trace summary row from Microsoft Graph v1.0 `GET /admin/exchange/tracing/messageTraces`
 * (`exchangeMessageTrace`, camelCase), one element of the page's `value` array. Graph rows carry no tenant:
 * the producer adds `tenant` (see fields/envelope.ts). Same facts as message-trace-v2; `id` = MessageTraceId.
 */
import { z } from 'zod';
import { envelopeFields, envelopeOf } from '../fields/envelope.js';
import { guidField } from '../fields/ids.js';
import { isRecipient, recipientField } from '../fields/address.js';
import { guidOf, isOptCount, isOptText, timestampOf } from '../fields/accept.js';
import { timestampField } from '../fields/timestamp.js';
import { fromSafeParse, type ParseResult } from '../reject.js';

export const NAME = 'message-trace-graph';
export const KIND = 'message_trace';
export const VERSION = 1;

const STATUS_NAME = /[A-Za-z0-9]/;

const ip = z.string().nullish().meta({ description: 'IPv4/IPv6; null or "" when not applicable.' });

export const schema = z
  .object({
    id: guidField,
    receivedDateTime: timestampField,
    senderAddress: z.string(),
    recipientAddress: recipientField,
    subject: z.string().nullish(),
    status: z.string().regex(STATUS_NAME, 'expected a status name (letters or digits)').meta({
      description:
        'exchangeMessageTraceStatus, any case: delivered, failed, pending, expanded, quarantined, filteredAsSpam, gettingStatus, recalled, unknownFutureValue…',
    }),
    size: z.number().int().nonnegative().nullish(),
    fromIP: ip,
    toIP: ip,
    messageId: z.string().nullish(),
    ...envelopeFields,
  })
  .meta({
    title: 'Message trace row (Graph exchangeMessageTrace, camelCase)',
    description:
      'One element of the messageTraces page `value` array, plus the producer-set `tenant`. Extra fields are tolerated and ignored.',
  });

export type Row = z.output<typeof schema>;

/** Validate one row; the result's detail names the failing field paths. Never throws. */
export function parse(input: unknown): ParseResult<Row> {
  return fromSafeParse(NAME, schema.safeParse(input));
}

/**
 * What `schema` outputs for an object it accepts, without zod (the decoder's hot path); undefined when any
 * field is not plainly valid, and then `parse` (zod) decides and names the issues. Never accepts what
 * `schema` rejects.
 */
export function fastParse(o: Record<string, unknown>): Row | undefined {
  const id = guidOf(o.id);
  const receivedDateTime = timestampOf(o.receivedDateTime);
  const envelope = envelopeOf(o);
  const { senderAddress, recipientAddress, subject, status, size, fromIP, toIP, messageId } = o;
  if (
    id === false ||
    receivedDateTime === false ||
    envelope === false ||
    typeof senderAddress !== 'string' ||
    !isRecipient(recipientAddress) ||
    !isOptText(subject) ||
    typeof status !== 'string' ||
    !STATUS_NAME.test(status) ||
    !isOptCount(size) ||
    !isOptText(fromIP) ||
    !isOptText(toIP) ||
    !isOptText(messageId)
  ) {
    return undefined;
  }
  return {
    id,
    receivedDateTime,
    senderAddress,
    recipientAddress,
    subject,
    status,
    size,
    fromIP,
    toIP,
    messageId,
    ...envelope,
  };
}

export function matches(obj: Record<string, unknown>): boolean {
  return 'receivedDateTime' in obj || 'recipientAddress' in obj || 'id' in obj;
}

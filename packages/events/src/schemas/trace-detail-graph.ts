/**
 * A message-trace detail event from Microsoft Graph v1.0
 * `GET /admin/exchange/tracing/messageTraces/{id}/getDetailsByRecipient(recipientAddress='…')`
 * (`exchangeMessageTraceDetail`, camelCase). `id` is the MessageTraceId (the same on every event).
 * Graph omits the recipient and sender: the producer copies `recipientAddress` from its request
 * (required) and may add `senderAddress`, plus `tenant` (see fields/envelope.ts).
 */
import { z } from 'zod';
import { envelopeFields, envelopeOf } from '../fields/envelope.js';
import { guidField } from '../fields/ids.js';
import { isRecipient, recipientField } from '../fields/address.js';
import { guidOf, isOptText, timestampOf } from '../fields/accept.js';
import { timestampField } from '../fields/timestamp.js';
import { fromSafeParse, type ParseResult } from '../reject.js';

export const NAME = 'trace-detail-graph';
export const KIND = 'trace_detail';
export const VERSION = 1;

const EVENT_NAME = /[A-Za-z0-9]/;

export const schema = z
  .object({
    id: guidField,
    dateTime: timestampField,
    event: z.string().regex(EVENT_NAME, 'expected an event name (letters or digits)'),
    action: z.string().nullish(),
    description: z.string().nullish().meta({ description: 'Human text; holds the SMTP reason for Fail/Defer.' }),
    data: z.string().nullish(),
    messageId: z.string().nullish(),
    recipientAddress: recipientField.meta({
      description: 'Producer-set: the recipientAddress of the getDetailsByRecipient request.',
    }),
    senderAddress: z
      .string()
      .nullish()
      .meta({ description: 'Producer-set (optional): the summary row senderAddress.' }),
    ...envelopeFields,
  })
  .meta({
    title: 'Message trace detail event (Graph exchangeMessageTraceDetail, camelCase)',
    description:
      'One event of one (message, recipient), plus producer-set recipientAddress and tenant. Extra fields are tolerated and ignored.',
  });

export type Row = z.output<typeof schema>;

/** Validate one event; the result's detail names the failing field paths. Never throws. */
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
  const dateTime = timestampOf(o.dateTime);
  const envelope = envelopeOf(o);
  const { event, action, description, data, messageId, recipientAddress, senderAddress } = o;
  if (
    id === false ||
    dateTime === false ||
    envelope === false ||
    typeof event !== 'string' ||
    !EVENT_NAME.test(event) ||
    !isOptText(action) ||
    !isOptText(description) ||
    !isOptText(data) ||
    !isOptText(messageId) ||
    !isRecipient(recipientAddress) ||
    !isOptText(senderAddress)
  ) {
    return undefined;
  }
  return {
    id,
    dateTime,
    event,
    action,
    description,
    data,
    messageId,
    recipientAddress,
    senderAddress,
    ...envelope,
  };
}

export function matches(obj: Record<string, unknown>): boolean {
  return 'dateTime' in obj || 'event' in obj || 'id' in obj;
}

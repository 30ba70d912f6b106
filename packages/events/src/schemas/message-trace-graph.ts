/**
 * A message-trace summary row from Microsoft Graph v1.0 `GET /admin/exchange/tracing/messageTraces`
 * (`exchangeMessageTrace`, camelCase), one element of the page's `value` array. Graph rows carry no tenant:
 * the producer adds `tenant` (see fields/envelope.ts). Same facts as message-trace-v2; `id` = MessageTraceId.
 */
import { z } from 'zod';
import { envelopeFields } from '../fields/envelope.js';
import { guidField } from '../fields/ids.js';
import { recipientField } from '../fields/address.js';
import { timestampField } from '../fields/timestamp.js';
import { fromSafeParse, type ParseResult } from '../reject.js';

export const NAME = 'message-trace-graph';
export const KIND = 'message_trace';
export const VERSION = 1;

const ip = z.string().nullish().meta({ description: 'IPv4/IPv6; null or "" when not applicable.' });

export const schema = z
  .object({
    id: guidField,
    receivedDateTime: timestampField,
    senderAddress: z.string(),
    recipientAddress: recipientField,
    subject: z.string().nullish(),
    status: z
      .string()
      .regex(/[A-Za-z0-9]/, 'expected a status name (letters or digits)')
      .meta({
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

export function matches(obj: Record<string, unknown>): boolean {
  return 'receivedDateTime' in obj || 'recipientAddress' in obj || 'id' in obj;
}

/**
 * A message-trace detail event as PowerShell writes it: `Get-MessageTraceDetailV2 | ConvertTo-Json`
 * (also V1/RWS `MessageTraceDetail`). INPUT-FORMATS §2. `Event` is an open set (Receive, Submit, Send,
 * Send external, Deliver, Fail, Defer, Expand, Transfer, Resolve, Redirect, Drop, Spam, Transport rule…);
 * `Detail` carries the SMTP reply for Fail/Defer: `Reason: [{LED=…};{MSG=…};{FQDN=…};{IP=…};{LRT=…}]`.
 */
import { z } from 'zod';
import { envelopeFields, envelopeOf } from '../fields/envelope.js';
import { guidField } from '../fields/ids.js';
import { isRecipient, recipientField } from '../fields/address.js';
import { guidOf, isOptTenantText, isOptText, timestampOf } from '../fields/accept.js';
import { timestampField } from '../fields/timestamp.js';
import { fromSafeParse, type ParseResult } from '../reject.js';

export const NAME = 'trace-detail-v2';
export const KIND = 'trace_detail';
export const VERSION = 1;

const EVENT_NAME = /[A-Za-z0-9]/;

export const schema = z
  .object({
    Date: timestampField,
    Event: z.string().regex(EVENT_NAME, 'expected an event name (letters or digits)'),
    Action: z.string().nullish(),
    Detail: z.string().nullish().meta({ description: 'Human text; holds the SMTP reason for Fail/Defer.' }),
    Data: z
      .string()
      .nullish()
      .meta({ description: '<root><MEP Name="…" String|Integer|Long|Blob="…" /></root>; opaque.' }),
    MessageTraceId: guidField,
    MessageId: z.string().nullish(),
    SenderAddress: z.string().nullish(),
    RecipientAddress: recipientField,
    Organization: z.string().max(255).nullish(),
    ...envelopeFields,
  })
  .meta({
    title: 'Message trace detail event (Get-MessageTraceDetailV2, PascalCase)',
    description: 'One event of one (message, recipient). Extra fields are tolerated and ignored.',
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
  const date = timestampOf(o.Date);
  const MessageTraceId = guidOf(o.MessageTraceId);
  const envelope = envelopeOf(o);
  const { Event, Action, Detail, Data, MessageId, SenderAddress, RecipientAddress, Organization } = o;
  if (
    date === false ||
    MessageTraceId === false ||
    envelope === false ||
    typeof Event !== 'string' ||
    !EVENT_NAME.test(Event) ||
    !isOptText(Action) ||
    !isOptText(Detail) ||
    !isOptText(Data) ||
    !isOptText(MessageId) ||
    !isOptText(SenderAddress) ||
    !isRecipient(RecipientAddress) ||
    !isOptTenantText(Organization)
  ) {
    return undefined;
  }
  return {
    Date: date,
    Event,
    Action,
    Detail,
    Data,
    MessageTraceId,
    MessageId,
    SenderAddress,
    RecipientAddress,
    Organization,
    ...envelope,
  };
}

export function matches(obj: Record<string, unknown>): boolean {
  return 'MessageTraceId' in obj || 'Event' in obj || 'Date' in obj;
}

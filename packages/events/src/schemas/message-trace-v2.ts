/**
 * A message-trace summary row as PowerShell writes it: `Get-MessageTraceV2 | ConvertTo-Json` (PascalCase),
 * also V1 `Get-MessageTrace` and Reporting Web Service rows (`__metadata`, `StartDate`, `EndDate`, `Index`
 * are tolerated and dropped). INPUT-FORMATS §1. One row per (message, recipient).
 */
import { z } from 'zod';
import { envelopeFields, envelopeOf } from '../fields/envelope.js';
import { guidField } from '../fields/ids.js';
import { isRecipient, recipientField } from '../fields/address.js';
import { guidOf, isOptCount, isOptTenantText, isOptText, timestampOf } from '../fields/accept.js';
import { timestampField } from '../fields/timestamp.js';
import { fromSafeParse, type ParseResult } from '../reject.js';

export const NAME = 'message-trace-v2';
export const KIND = 'message_trace';
export const VERSION = 1;

const STATUS_NAME = /[A-Za-z0-9]/;

const ip = z.string().nullish().meta({ description: 'IPv4/IPv6; null or "" when not applicable.' });

export const schema = z
  .object({
    Received: timestampField,
    SenderAddress: z.string().meta({ description: 'Claimed sender; may be "" for a null reverse path.' }),
    RecipientAddress: recipientField,
    Subject: z.string().nullish(),
    Status: z.string().regex(STATUS_NAME, 'expected a status name (letters or digits)').meta({
      description:
        'Open set, any case: Delivered, Failed, Pending, Expanded, Quarantined, FilteredAsSpam, GettingStatus, None…',
    }),
    ToIP: ip,
    FromIP: ip,
    Size: z.number().int().nonnegative().nullish().meta({ description: 'Bytes (not KB).' }),
    MessageId: z.string().nullish().meta({ description: 'Internet Message-ID with <>; kept byte-exact.' }),
    MessageTraceId: guidField,
    Organization: z
      .string()
      .max(255)
      .nullish()
      .meta({ description: 'Tenant initial domain (contoso.onmicrosoft.com); optional on V2.' }),
    ...envelopeFields,
  })
  .meta({
    title: 'Message trace row (Get-MessageTraceV2 / RWS, PascalCase)',
    description: 'One row per (message, recipient). Extra fields are tolerated and ignored.',
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
  const Received = timestampOf(o.Received);
  const MessageTraceId = guidOf(o.MessageTraceId);
  const envelope = envelopeOf(o);
  const { SenderAddress, RecipientAddress, Subject, Status, ToIP, FromIP, Size, MessageId, Organization } = o;
  if (
    Received === false ||
    MessageTraceId === false ||
    envelope === false ||
    typeof SenderAddress !== 'string' ||
    !isRecipient(RecipientAddress) ||
    !isOptText(Subject) ||
    typeof Status !== 'string' ||
    !STATUS_NAME.test(Status) ||
    !isOptText(ToIP) ||
    !isOptText(FromIP) ||
    !isOptCount(Size) ||
    !isOptText(MessageId) ||
    !isOptTenantText(Organization)
  ) {
    return undefined;
  }
  return {
    Received,
    SenderAddress,
    RecipientAddress,
    Subject,
    Status,
    ToIP,
    FromIP,
    Size,
    MessageId,
    MessageTraceId,
    Organization,
    ...envelope,
  };
}

/** True when an object looks like this shape (for auto-detection on the message-trace topic). */
export function matches(obj: Record<string, unknown>): boolean {
  return 'MessageTraceId' in obj || 'Received' in obj || 'RecipientAddress' in obj;
}

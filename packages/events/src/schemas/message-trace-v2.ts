/**
 * A message-trace summary row as PowerShell writes it: `Get-MessageTraceV2 | ConvertTo-Json` (PascalCase),
 * also V1 `Get-MessageTrace` and Reporting Web Service rows (`__metadata`, `StartDate`, `EndDate`, `Index`
 * are tolerated and dropped). INPUT-FORMATS §1. One row per (message, recipient).
 */
import { z } from 'zod';
import { envelopeFields } from '../fields/envelope.js';
import { guidField } from '../fields/ids.js';
import { recipientField } from '../fields/address.js';
import { timestampField } from '../fields/timestamp.js';
import { fromSafeParse, type ParseResult } from '../reject.js';

export const NAME = 'message-trace-v2';
export const KIND = 'message_trace';
export const VERSION = 1;

const ip = z.string().nullish().meta({ description: 'IPv4/IPv6; null or "" when not applicable.' });

export const schema = z
  .object({
    Received: timestampField,
    SenderAddress: z.string().meta({ description: 'Claimed sender; may be "" for a null reverse path.' }),
    RecipientAddress: recipientField,
    Subject: z.string().nullish(),
    Status: z
      .string()
      .regex(/[A-Za-z0-9]/, 'expected a status name (letters or digits)')
      .meta({
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

/** True when an object looks like this shape (for auto-detection on the message-trace topic). */
export function matches(obj: Record<string, unknown>): boolean {
  return 'MessageTraceId' in obj || 'Received' in obj || 'RecipientAddress' in obj;
}

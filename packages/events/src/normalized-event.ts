/**
 * The one event every input shape is turned into. Field names are the ClickHouse column names.
 * `normalizedEventSchema` documents and checks the contract (tests validate every normaliser output with it).
 */
import { z } from 'zod';
import { DIRECTIONS } from './fields/direction.js';

export const SCHEMA_KINDS = ['message_trace', 'trace_detail', 'ndr'] as const;
export type SchemaKind = (typeof SCHEMA_KINDS)[number];

const lower = (s: string) => s === s.toLowerCase();
const nullableText = z.string().nullable();

export const normalizedEventSchema = z
  .object({
    schema: z.enum(SCHEMA_KINDS),
    /** Version of the input schema file that produced the event (its `VERSION`). */
    schema_version: z.number().int().positive(),
    /** Lower-case; see fields/envelope.ts for the precedence of the tenant fields. */
    tenant: z.string().min(1).refine(lower, 'lower-case'),
    /** UTC epoch ms: Received / Date / dateTime; for NDRs last_attempt_date ?? ndr_date ?? arrival_date. */
    event_time_ms: z.number().int(),
    /** Lower-case dashed GUID. For NDRs: the bounced message's network id (joins to its trace rows). */
    message_trace_id: z
      .string()
      .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      .nullable(),
    /** Byte-exact Internet Message-ID with <>. For NDRs: the bounced message's. */
    message_id: nullableText,
    sender: z.string().refine(lower, 'lower-case'),
    recipient: z.string().min(1).refine(lower, 'lower-case'),
    sender_domain: z.string(),
    recipient_domain: z.string(),
    direction: z.enum(DIRECTIONS),
    /** Lower snake: trace status, detail event name, or DSN action. */
    status: z.string().regex(/^[a-z0-9_]+$/),
    terminal: z.boolean(),
    from_ip: nullableText,
    to_ip: nullableText,
    size_bytes: z.number().int().nonnegative().nullable(),
    subject: nullableText,
    /** Raw text for the classifier: detail/description text, DSN Diagnostic-Code. */
    diagnostic: nullableText,
    /** Enhanced status code from an explicit field (DSN Status, detail Data RecipientStatus). */
    status_code: z
      .string()
      .regex(/^[245]\.\d{1,3}\.\d{1,3}$/)
      .nullable(),
    /** Lower-case host name of the remote MTA (DSN Remote-MTA, detail FQDN / OutboundProxyTargetHostName). */
    remote_mta: nullableText,
    /** Upsert key; see natural-key.ts. */
    natural_key: z.string().min(1),
    /** Orders a row's statuses over time (trace rows, NDRs) or phases (detail events); see fields/status.ts. */
    status_rank: z.number().int().nonnegative(),
  })
  .strict();

export type NormalizedEvent = z.infer<typeof normalizedEventSchema>;

/**
 * An NDR/DSN as JSON: what a producer extracts from one recipient block of a multipart/report bounce
 * (RFC 3464 `message/delivery-status` plus the NDR's own headers and the attached original's headers).
 * There is no upstream JSON for this, so the field names are ours (snake_case, README "ndr-dsn v1").
 * One Kafka message per recipient block: a DSN with three recipient blocks gives three messages that
 * repeat the per-message fields.
 */
import { z } from 'zod';
import { directionField, envelopeDirection } from '../fields/direction.js';
import { guidField } from '../fields/ids.js';
import { isRecipient, recipientField } from '../fields/address.js';
import { isOptTenantText, isOptText, optGuidOf, optTimestampOf } from '../fields/accept.js';
import { DSN_ACTIONS, type DsnAction } from '../fields/status.js';
import { timestampField } from '../fields/timestamp.js';
import { fromSafeParse, reject, type ParseResult } from '../reject.js';

export const NAME = 'ndr-dsn';
export const KIND = 'ndr';
export const VERSION = 1;

const optText = (description: string) => z.string().nullish().meta({ description });
const optTime = (description: string) => timestampField.nullish().meta({ description });

const action = z
  .string()
  .transform((s, ctx): DsnAction => {
    const a = s.trim().toLowerCase() as DsnAction;
    if (!DSN_ACTIONS.includes(a)) {
      ctx.addIssue({ code: 'custom', message: `expected one of ${DSN_ACTIONS.join(', ')} (any case)` });
      return z.NEVER;
    }
    return a;
  })
  .meta({ description: 'DSN Action: failed | delayed | delivered | relayed | expanded (any case).' });

const ENHANCED = /^\s*([245]\.\d{1,3}\.\d{1,3})\s*$/;
const status = z
  .string()
  .transform((s, ctx) => {
    const m = ENHANCED.exec(s);
    if (m === null) {
      ctx.addIssue({ code: 'custom', message: 'expected an RFC 3463 enhanced status code like 5.7.509' });
      return z.NEVER;
    }
    return m[1]!;
  })
  .meta({ description: 'DSN Status: RFC 3463 class.subject.detail, e.g. 5.7.509.', pattern: ENHANCED.source });

export const schema = z
  .object({
    schema_version: z.literal(VERSION).optional().meta({ description: 'Optional; 1 for this layout.' }),
    tenant: z.string().max(255).nullish().meta({
      description: 'Tenant the bounce belongs to (required; a missing tenant is rejected as missing_tenant).',
    }),
    direction: directionField.nullish(),
    original_sender: z
      .string()
      .meta({ description: 'The NDR To: header = the original sender. rfc822; prefix and <> tolerated.' }),
    final_recipient: recipientField.meta({
      description: 'DSN Final-Recipient, e.g. "rfc822;ap@fabrikam.com" or "ap@fabrikam.com".',
    }),
    original_recipient: optText('DSN Original-Recipient (ORCPT).'),
    action,
    status,
    diagnostic_code: optText(
      'DSN Diagnostic-Code, raw, e.g. "smtp;550 5.7.509 Access denied…". The classifier reads this.',
    ),
    remote_mta: optText('DSN Remote-MTA, e.g. "dns;mx.fabrikam.com". Absent when Exchange itself rejected.'),
    reporting_mta: optText('DSN Reporting-MTA.'),
    received_from_mta: optText('DSN Received-From-MTA.'),
    arrival_date: optTime('DSN Arrival-Date (ISO-8601 or the RFC 5322 text as found).'),
    last_attempt_date: optTime('DSN Last-Attempt-Date.'),
    will_retry_until: optTime('DSN Will-Retry-Until (delayed only).'),
    ndr_date: optTime('Date: header of the NDR message.'),
    ndr_message_id: optText('Message-ID: of the NDR itself, with <>.'),
    ndr_network_message_id: guidField
      .nullish()
      .meta({ description: 'X-MS-Exchange-Organization-Network-Message-Id of the NDR itself.' }),
    original_message_id: optText(
      'Message-ID of the bounced message, with <> (In-Reply-To / References / attached headers). Byte-exact.',
    ),
    original_network_message_id: guidField.nullish().meta({
      description:
        'Network message id (= MessageTraceId) of the bounced message: X-MS-Exchange-CrossTenant-Network-Message-Id, X-MS-Office365-Filtering-Correlation-Id or X-MS-Exchange-Organization-Network-Message-Id in the attached original.',
    }),
    original_subject: optText('Subject of the bounced message (Thread-Topic or attached headers).'),
  })
  .superRefine((r, ctx) => {
    if (!r.original_network_message_id && !r.original_message_id && !r.ndr_message_id) {
      ctx.addIssue({
        code: 'custom',
        path: ['original_network_message_id'],
        message:
          'an NDR needs original_network_message_id, original_message_id or ndr_message_id (for its natural key)',
      });
    }
    if (!r.last_attempt_date && !r.ndr_date && !r.arrival_date) {
      ctx.addIssue({
        code: 'custom',
        path: ['ndr_date'],
        message: 'an NDR needs ndr_date, last_attempt_date or arrival_date (its event time)',
      });
    }
  })
  .meta({
    title: 'NDR / DSN recipient block (ndr-dsn v1)',
    description:
      'One recipient block of a multipart/report bounce, flattened with the per-message fields. Extra fields are tolerated and ignored.',
    allOf: [
      {
        anyOf: [
          { required: ['original_network_message_id'] },
          { required: ['original_message_id'] },
          { required: ['ndr_message_id'] },
        ],
      },
      { anyOf: [{ required: ['ndr_date'] }, { required: ['last_attempt_date'] }, { required: ['arrival_date'] }] },
    ],
  });

export type Row = z.output<typeof schema>;

/** Validate one NDR record; an unknown `schema_version` is `unsupported_version`. Never throws. */
export function parse(input: unknown): ParseResult<Row> {
  const v =
    typeof input === 'object' && input !== null ? (input as { schema_version?: unknown }).schema_version : undefined;
  if (v !== undefined && v !== VERSION) {
    return reject(
      'unsupported_version',
      `${NAME}: schema_version ${JSON.stringify(v)?.slice(0, 20)} is not supported (expected ${VERSION})`,
    );
  }
  return fromSafeParse(NAME, schema.safeParse(input));
}

/** `action`'s output, or false. */
function actionOf(value: unknown): DsnAction | false {
  if (typeof value !== 'string') return false;
  const a = value.trim().toLowerCase() as DsnAction;
  return DSN_ACTIONS.includes(a) ? a : false;
}

/**
 * What `schema` outputs for an object it accepts, without zod (the decoder's hot path); undefined when any
 * field is not plainly valid or a refinement fails, and then `parse` (zod) decides and names the issues.
 * Never accepts what `schema` rejects. Leaves an unknown `schema_version` to `parse`.
 */
export function fastParse(o: Record<string, unknown>): Row | undefined {
  const { schema_version, tenant, original_sender, final_recipient, original_recipient, diagnostic_code } = o;
  const { remote_mta, reporting_mta, received_from_mta, ndr_message_id, original_message_id, original_subject } = o;
  if (schema_version !== undefined && schema_version !== VERSION) return undefined;
  const direction = envelopeDirection(o.direction);
  const action = actionOf(o.action);
  const statusMatch = typeof o.status === 'string' ? ENHANCED.exec(o.status) : null;
  const arrival_date = optTimestampOf(o.arrival_date);
  const last_attempt_date = optTimestampOf(o.last_attempt_date);
  const will_retry_until = optTimestampOf(o.will_retry_until);
  const ndr_date = optTimestampOf(o.ndr_date);
  const ndr_network_message_id = optGuidOf(o.ndr_network_message_id);
  const original_network_message_id = optGuidOf(o.original_network_message_id);
  if (
    direction === false ||
    action === false ||
    statusMatch === null ||
    arrival_date === false ||
    last_attempt_date === false ||
    will_retry_until === false ||
    ndr_date === false ||
    ndr_network_message_id === false ||
    original_network_message_id === false ||
    !isOptTenantText(tenant) ||
    typeof original_sender !== 'string' ||
    !isRecipient(final_recipient) ||
    !isOptText(original_recipient) ||
    !isOptText(diagnostic_code) ||
    !isOptText(remote_mta) ||
    !isOptText(reporting_mta) ||
    !isOptText(received_from_mta) ||
    !isOptText(ndr_message_id) ||
    !isOptText(original_message_id) ||
    !isOptText(original_subject) ||
    // the superRefine
    (!original_network_message_id && !original_message_id && !ndr_message_id) ||
    (!last_attempt_date && !ndr_date && !arrival_date)
  ) {
    return undefined;
  }
  return {
    schema_version,
    tenant,
    direction,
    original_sender,
    final_recipient,
    original_recipient,
    action,
    status: statusMatch[1]!,
    diagnostic_code,
    remote_mta,
    reporting_mta,
    received_from_mta,
    arrival_date,
    last_attempt_date,
    will_retry_until,
    ndr_date,
    ndr_message_id,
    original_message_id,
    original_network_message_id,
    original_subject,
    ndr_network_message_id,
  };
}

export function matches(obj: Record<string, unknown>): boolean {
  return 'final_recipient' in obj || 'action' in obj || 'original_sender' in obj;
}

/**
 * Natural keys: the identity of a logical row, used to upsert (ReplacingMergeTree) and de-duplicate.
 * Built only from facts that every surface reports identically, so the same row gives the same key
 * whether it came from Get-MessageTraceV2, Graph or a re-export.
 *
 * - trace row     `mt|<message_trace_id>|<recipient>`                      (INPUT-FORMATS §0.2 rule 1)
 * - detail event  `td|<message_trace_id>|<recipient>|<event>|<second>`     second = `2026-11-20T09:14:07Z`
 *   (Graph may drop the fraction that V2 keeps, so the key uses whole seconds; two events with the same
 *   name for the same recipient in the same second collapse into one).
 * - NDR           `ndr|<original>|<final_recipient>|<action>` where original is, by preference,
 *   `nmid:<original network message id>`, `mid:<original Message-ID>` or `ndr:<NDR's own Message-ID>`.
 *   Nothing NDR-specific (the NDR's own ids, reporting MTA, dates, diagnostic text) is in the key while the
 *   original is known, so a bounce exported twice, or sent twice by a redundant server, is one row; a delay
 *   notice and the later failure for the same recipient are two rows (different action); repeated delay
 *   notices for one recipient are one row (latest wins).
 *
 * Ids are canonical (lower-case GUID), addresses lower-case, Message-IDs byte-exact. `%` and `|` inside a
 * part are escaped (`%25`, `%7C`) so the separator stays unambiguous.
 */
import { keySecond } from './fields/timestamp.js';

function part(s: string): string {
  return s.includes('|') || s.includes('%') ? s.replace(/%/g, '%25').replace(/\|/g, '%7C') : s;
}

export function traceRowKey(messageTraceId: string, recipient: string): string {
  return `mt|${messageTraceId}|${part(recipient)}`;
}

export function detailEventKey(messageTraceId: string, recipient: string, event: string, timeMs: number): string {
  return `td|${messageTraceId}|${part(recipient)}|${part(event)}|${keySecond(timeMs)}`;
}

export interface NdrKeyParts {
  originalNetworkMessageId: string | null;
  originalMessageId: string | null;
  ndrMessageId: string | null;
  finalRecipient: string;
  action: string;
}

export function ndrKey(p: NdrKeyParts): string {
  const original =
    p.originalNetworkMessageId !== null
      ? `nmid:${p.originalNetworkMessageId}`
      : p.originalMessageId !== null
        ? `mid:${part(p.originalMessageId)}`
        : `ndr:${part(p.ndrMessageId ?? '')}`;
  return `ndr|${original}|${part(p.finalRecipient)}|${p.action}`;
}

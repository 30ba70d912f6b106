/**
 * What every normaliser shares: tenant and party resolution, direction, and the one place that lays
 * out a NormalizedEvent.
 */
import { domainOf, normalizeAddress } from './fields/address.js';
import { inferDirection, type Direction, type TenantDomains } from './fields/direction.js';
import type { NormalizedEvent } from './normalized-event.js';
import { reject, type Rejected } from './reject.js';

export interface NormalizeOptions {
  /** Lower-case tenant → its accepted domains, for direction inference (else a name heuristic). */
  tenantDomains?: TenantDomains;
}

export type NormalizeResult = { ok: true; event: NormalizedEvent } | Rejected;

/** What every shape contributes before the per-schema fields. */
export interface Common {
  shape: string;
  tenant: string | null;
  /** The tenant fields this shape accepts, for the missing_tenant detail. */
  tenantFields: string;
  sender: string | null | undefined;
  recipient: string;
  direction: Direction | null | undefined;
}

export type Base = Pick<
  NormalizedEvent,
  'tenant' | 'sender' | 'recipient' | 'sender_domain' | 'recipient_domain' | 'direction'
>;

export function base(c: Common, opts: NormalizeOptions | undefined): Base | Rejected {
  if (c.tenant === null) {
    return reject('missing_tenant', `${c.shape}: no tenant; set "tenant" on the row (accepted: ${c.tenantFields})`);
  }
  const recipient = normalizeAddress(c.recipient);
  if (recipient === '') return reject('schema_mismatch', `${c.shape}: recipient is blank after normalisation`);
  const sender = normalizeAddress(c.sender ?? '');
  const sender_domain = domainOf(sender);
  const recipient_domain = domainOf(recipient);
  const direction = c.direction ?? inferDirection(c.tenant, sender_domain, recipient_domain, opts?.tenantDomains);
  return { tenant: c.tenant, sender, recipient, sender_domain, recipient_domain, direction };
}

export type Rest = Omit<NormalizedEvent, keyof Base>;

/** One object literal in the documented field order: every event has the same hidden class. */
export function assemble(b: Base, r: Rest): NormalizedEvent {
  return {
    schema: r.schema,
    schema_version: r.schema_version,
    tenant: b.tenant,
    event_time_ms: r.event_time_ms,
    message_trace_id: r.message_trace_id,
    message_id: r.message_id,
    sender: b.sender,
    recipient: b.recipient,
    sender_domain: b.sender_domain,
    recipient_domain: b.recipient_domain,
    direction: b.direction,
    status: r.status,
    terminal: r.terminal,
    from_ip: r.from_ip,
    to_ip: r.to_ip,
    size_bytes: r.size_bytes,
    subject: r.subject,
    diagnostic: r.diagnostic,
    status_code: r.status_code,
    remote_mta: r.remote_mta,
    natural_key: r.natural_key,
    status_rank: r.status_rank,
  };
}

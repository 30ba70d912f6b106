/** An incident as the alerting process keeps it, stores it and sends it. */
export interface Incident {
  incident_key: string;
  rule: string;
  severity: string;
  state: 'open' | 'resolved';
  tenant: string;
  ip: string;
  sender: string;
  code: string;
  entry: string;
  title: string;
  cause: string;
  fix: string;
  who_acts: string[];
  count: number;
  /** Epoch seconds (event time). */
  opened_at: number;
  window_start: number;
  window_end: number;
  last_seen: number;
  resolved_at: number;
  /** ms; orders the stored states. */
  version: number;
  notified: 0 | 1;
  detail: string;
}

/** What a rule found in one evaluation: a candidate incident. */
export interface Finding {
  rule: string;
  /** What the rule groups by besides the tenant (IP, sender, code) or '': part of the incident key. */
  subject: string;
  tenant: string;
  ip: string;
  sender: string;
  code: string;
  entry: string;
  count: number;
  window_start: number;
  window_end: number;
  last_seen: number;
  detail: string;
}

/** One incident per rule, tenant and grouping subject, however its details vary between evaluations. */
export const incidentKey = (f: Pick<Finding, 'rule' | 'tenant' | 'subject'>): string =>
  [f.rule, f.tenant, f.subject].join('|');

/**
 * Mail-flow direction. Precedence: the producer's `direction` envelope field when present; else
 * inferred from the sender's and recipient's domains against the tenant's domains; else `unknown`.
 *
 * The tenant's domains come from `tenantDomains` when the caller configured them (exact domain or
 * subdomain match: the reliable way). Without them the inference is a WEAK heuristic: the tenant's
 * organisation label (`contoso` from `contoso.onmicrosoft.com` or from `contoso.com`) is compared with
 * the label left of each domain's public suffix (`contoso.com`, `mail.contoso.com`, `contoso.co.uk`).
 * It misses tenants whose mail domains differ from their onmicrosoft name (`contoso.onmicrosoft.com`
 * sending as `fabrikam-group.com`), and a GUID tenant gives `unknown`.
 */
import { z } from 'zod';

export const DIRECTIONS = ['inbound', 'outbound', 'intra_org', 'unknown'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Lower-case tenant → its accepted domains (lower-case). */
export type TenantDomains = ReadonlyMap<string, readonly string[]>;

const ENVELOPE_VALUES: Record<string, Direction> = {
  inbound: 'inbound',
  outbound: 'outbound',
  intra_org: 'intra_org',
  'intra-org': 'intra_org',
  intraorg: 'intra_org',
  unknown: 'unknown',
};

/** Zod field for the producer's `direction`: the four values, any case, `Intra-org` (Defender) accepted. */
export const directionField = z
  .string()
  .transform((s, ctx) => {
    const d = ENVELOPE_VALUES[s.trim().toLowerCase()];
    if (d === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected one of inbound, outbound, intra_org, unknown' });
      return z.NEVER;
    }
    return d;
  })
  .meta({ description: 'Optional, set by the producer: inbound | outbound | intra_org | unknown (any case).' });

/**
 * What `directionField.nullish()` outputs for a value it accepts, or `false` when the caller must ask zod
 * (anything but null, undefined or one of the spellings above: zod then gives the result or the issue).
 */
export function envelopeDirection(value: unknown): Direction | null | undefined | false {
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') return false;
  const key = value.trim().toLowerCase();
  return Object.hasOwn(ENVELOPE_VALUES, key) ? ENVELOPE_VALUES[key]! : false;
}

/** Second-level labels under which a 2-letter ccTLD sells registrations (`co.uk`, `com.au`, `ne.jp`). */
const CC_SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'gov', 'ac', 'edu', 'ne', 'or', 'go']);

const domainLabels = new Map<string, string | null>();
const DOMAIN_CACHE_LIMIT = 50_000;

/** The label a domain was registered under: `mail.contoso.co.uk` → `contoso`; `x.onmicrosoft.com` → `x`. Memoised. */
function orgLabel(domain: string): string | null {
  let label = domainLabels.get(domain);
  if (label === undefined) {
    if (domainLabels.size >= DOMAIN_CACHE_LIMIT) domainLabels.clear();
    label = computeOrgLabel(domain);
    domainLabels.set(domain, label);
  }
  return label;
}

function computeOrgLabel(domain: string): string | null {
  if (domain.endsWith('.onmicrosoft.com')) return domain.slice(0, domain.indexOf('.'));
  const labels = domain.split('.');
  const n = labels.length;
  if (n < 2) return null;
  const last = labels[n - 1]!;
  const second = labels[n - 2]!;
  if (n >= 3 && last.length === 2 && CC_SECOND_LEVEL.has(second)) return labels[n - 3] ?? null;
  return second;
}

const labelCache = new Map<string, string | null>();

function tenantLabel(tenant: string): string | null {
  let label = labelCache.get(tenant);
  if (label === undefined) {
    label = tenant.includes('.') ? computeOrgLabel(tenant) : null;
    if (labelCache.size < 10_000) labelCache.set(tenant, label);
  }
  return label;
}

function isInternal(domain: string, tenant: string, domains: readonly string[] | undefined): boolean {
  if (domain === '') return false;
  if (domains !== undefined) return domains.some((d) => domain === d || domain.endsWith('.' + d));
  const label = tenantLabel(tenant);
  return label !== null && orgLabel(domain) === label;
}

export function inferDirection(
  tenant: string,
  senderDomain: string,
  recipientDomain: string,
  tenantDomains?: TenantDomains,
): Direction {
  const domains = tenantDomains?.get(tenant);
  if (domains === undefined && tenantLabel(tenant) === null) return 'unknown';
  const fromUs = isInternal(senderDomain, tenant, domains);
  const toUs = isInternal(recipientDomain, tenant, domains);
  if (fromUs) return toUs ? 'intra_org' : 'outbound';
  if (toUs) return 'inbound';
  return 'unknown';
}

/**
 * Fields a producer may add to any message-trace or trace-detail row (they are not upstream fields):
 *
 * - `tenant`: the tenant the producer polled, e.g. `contoso.onmicrosoft.com`.
 * - `TenantId` / `tenantId`: the same, PascalCase/camelCase spelling.
 * - `direction`: inbound | outbound | intra_org | unknown.
 *
 * Tenant precedence: `tenant` > `Organization` (upstream, V1/V2/RWS rows) > `TenantId` > `tenantId`.
 * `tenant` wins because it is the producer's deliberate choice; `Organization` beats `TenantId` because a
 * Log Analytics export adds a `TenantId` column that holds the workspace id, not the Exchange tenant.
 * The chosen value is trimmed and lower-cased. A row with none of them is rejected (`missing_tenant`):
 * every aggregate is per tenant. Producers should set `tenant` to the same value on every surface
 * (the `*.onmicrosoft.com` initial domain matches V2's `Organization`), or one tenant splits in two.
 */
import { z } from 'zod';
import { isOptTenantText } from './accept.js';
import { directionField, envelopeDirection, type Direction } from './direction.js';

const tenantText = z.string().max(255).nullish();

export const envelopeFields = {
  tenant: tenantText.meta({ description: 'Producer-set tenant (wins over Organization/TenantId). Lower-cased.' }),
  TenantId: tenantText.meta({
    description: 'Producer-set tenant, PascalCase spelling. Used after tenant and Organization.',
  }),
  tenantId: tenantText.meta({ description: 'Producer-set tenant, camelCase spelling. Used last.' }),
  direction: directionField.nullish(),
};

type MaybeTenant = string | null | undefined;

/** What `envelopeFields` output for an object they accept, or `false` to ask zod (the decoder's fast path). */
export function envelopeOf(
  o: Record<string, unknown>,
):
  | { tenant: MaybeTenant; TenantId: MaybeTenant; tenantId: MaybeTenant; direction: Direction | null | undefined }
  | false {
  const { tenant, TenantId, tenantId } = o;
  const direction = envelopeDirection(o.direction);
  if (direction === false || !isOptTenantText(tenant) || !isOptTenantText(TenantId) || !isOptTenantText(tenantId))
    return false;
  return { tenant, TenantId, tenantId, direction };
}

type MaybeText = string | null | undefined;

function clean(c: MaybeText): string | null {
  if (c === null || c === undefined) return null;
  const t = c.trim();
  return t === '' ? null : t.toLowerCase();
}

/** The first non-blank candidate, trimmed and lower-cased; null when there is none. (No rest array: hot path.) */
export function pickTenant(a: MaybeText, b?: MaybeText, c?: MaybeText, d?: MaybeText): string | null {
  return clean(a) ?? clean(b) ?? clean(c) ?? clean(d);
}

/**
 * Plain checks that give exactly what a schema field gives for a value it accepts, for the decoder's fast path
 * (see `fastParse` in each schema file). Each answers "accepted, and this is the output" or "ask zod" (`false`);
 * never "rejected": zod stays the one source of issues and their messages.
 */
import { normalizeGuid } from './ids.js';
import { parseTimestamp } from './timestamp.js';

/** `z.string().nullish()`. */
export function isOptText(value: unknown): value is string | null | undefined {
  return value === undefined || value === null || typeof value === 'string';
}

/** `z.string().max(255).nullish()` (tenant, TenantId, tenantId, Organization). */
export function isOptTenantText(value: unknown): value is string | null | undefined {
  return value === undefined || value === null || (typeof value === 'string' && value.length <= 255);
}

/** `z.number().int().nonnegative().nullish()`. */
export function isOptCount(value: unknown): value is number | null | undefined {
  return (
    value === undefined || value === null || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
  );
}

/** timestampField's output (UTC epoch ms), or false. */
export function timestampOf(value: unknown): number | false {
  if (typeof value !== 'string') return false;
  return parseTimestamp(value) ?? false;
}

/** `timestampField.nullish()`'s output, or false. */
export function optTimestampOf(value: unknown): number | null | undefined | false {
  return value === undefined || value === null ? value : timestampOf(value);
}

/** guidField's output (canonical GUID), or false. */
export function guidOf(value: unknown): string | false {
  if (typeof value !== 'string') return false;
  return normalizeGuid(value) ?? false;
}

/** `guidField.nullish()`'s output, or false. */
export function optGuidOf(value: unknown): string | null | undefined | false {
  return value === undefined || value === null ? value : guidOf(value);
}

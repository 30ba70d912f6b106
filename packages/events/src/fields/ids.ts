/**
 * Identifiers (INPUT-FORMATS §0.2 rule 3): the Exchange network message id (= MessageTraceId = Graph `id`)
 * is joined lower-case with dashes, whichever form it arrived in; the Internet Message-ID is kept byte-exact.
 */
import { z } from 'zod';

/** 8-4-4-4-12 or 32 hex digits, optionally in braces. No RFC 4122 version/variant check: EXO ids do not follow it. */
const GUID =
  /^\{?(?:([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})|([0-9a-fA-F]{32}))\}?$/;

export const GUID_PATTERN = GUID.source;

/** `/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(text)`, by char code (the common case). */
function isCanonicalGuid(text: string): boolean {
  if (text.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = text.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false; // -
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false; // 0-9 a-f
  }
  return true;
}

/** `9B8E1C224D5F4E6A2A3108DE27A19C42` or `{9b8e1c22-…}` → `9b8e1c22-4d5f-4e6a-2a31-08de27a19c42`; null when not a GUID. */
export function normalizeGuid(text: string): string | null {
  if (isCanonicalGuid(text)) return text; // the common case, no allocation
  const m = GUID.exec(text.trim());
  if (m === null) return null;
  if (m[6] !== undefined) {
    const h = m[6].toLowerCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  return `${m[1]}-${m[2]}-${m[3]}-${m[4]}-${m[5]}`.toLowerCase();
}

const GUID_MESSAGE = 'expected a GUID (8-4-4-4-12 hex digits, or 32 hex digits without dashes)';

/** Zod field: a GUID in any accepted form in, the canonical lower-case dashed form out. */
export const guidField = z
  .string()
  .transform((s, ctx) => {
    const g = normalizeGuid(s);
    if (g === null) {
      ctx.addIssue({ code: 'custom', message: GUID_MESSAGE });
      return z.NEVER;
    }
    return g;
  })
  .meta({
    description: 'Exchange network message id (MessageTraceId). Normalised to lower-case with dashes.',
    pattern: GUID_PATTERN,
  });

/**
 * What a trends or top-list question looks like, validated once at the edge (HTTP query string,
 * CLI flags). Durations are written like `6h`, `30m`, `2d`; times as ISO 8601 or epoch seconds.
 */
import { z } from 'zod';

/** Dimensions a trend can be split by, and the agg_minute column each reads. */
export const BY = {
  code: 'code',
  reason: 'reason',
  category: 'category',
  entry: 'entry',
  tenant: 'tenant',
  domain: 'recipient_domain',
  sender_domain: 'sender_domain',
  ip: 'ip',
} as const;
export type By = keyof typeof BY;

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** `90s`, `30m`, `6h`, `2d`, `1w` → seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)\s*([smhdw])$/.exec(text.trim());
  if (!m) throw new Error(`expected a duration like 30m, 6h or 2d, got ${JSON.stringify(text)}`);
  const n = Number(m[1]) * (UNITS[m[2] as string] as number);
  if (n <= 0) throw new Error(`duration must be positive, got ${text}`);
  return n;
}

/** ISO 8601, epoch seconds, or `now`. */
export function parseTime(text: string, nowMs: number): number {
  const t = text.trim();
  if (t === 'now') return Math.floor(nowMs / 1000);
  if (/^\d{9,11}$/.test(t)) return Number(t);
  const ms = Date.parse(t);
  if (Number.isNaN(ms))
    throw new Error(`expected a time (ISO 8601, epoch seconds or now), got ${JSON.stringify(text)}`);
  return Math.floor(ms / 1000);
}

/** A duration like `30m` or `6h` as a zod schema: seconds out, a clear message on bad input. */
export const durationSchema = z.string().transform((s, ctx) => {
  try {
    return parseDuration(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});

export const trendQuerySchema = z
  .object({
    tenant: z.string().min(1).max(256).optional(),
    since: durationSchema.default(21_600),
    until: z.string().optional(),
    by: z.enum(Object.keys(BY) as [By, ...By[]]).default('code'),
    step: durationSchema.optional(),
    code: z
      .string()
      .regex(/^[245]\.\d{1,3}\.\d{1,3}$/, 'an enhanced status code like 5.7.509')
      .optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(10),
  })
  .strict();
export type TrendQueryInput = z.input<typeof trendQuerySchema>;

export interface TrendQuery {
  readonly tenant?: string;
  readonly code?: string;
  readonly by: By;
  /** Epoch seconds, inclusive. */
  readonly from: number;
  /** Epoch seconds, exclusive. */
  readonly to: number;
  readonly stepSeconds: number;
  readonly limit: number;
}

/** A step that gives at most ~120 points, in whole minutes. */
export function defaultStep(windowSeconds: number): number {
  const steps = [60, 300, 900, 1800, 3600, 10_800, 21_600, 86_400];
  return steps.find((s) => windowSeconds / s <= 120) ?? 86_400;
}

export function resolveQuery(input: unknown, nowMs: number): TrendQuery {
  const q = trendQuerySchema.parse(input);
  const to = q.until ? parseTime(q.until, nowMs) : Math.floor(nowMs / 1000) + 60;
  const from = to - q.since;
  const stepSeconds = q.step ?? defaultStep(q.since);
  if (stepSeconds % 60 !== 0) throw new Error('step must be whole minutes (the aggregates are per minute)');
  return {
    ...(q.tenant ? { tenant: q.tenant.toLowerCase() } : {}),
    ...(q.code ? { code: q.code } : {}),
    by: q.by,
    from,
    to,
    stepSeconds,
    limit: q.limit,
  };
}

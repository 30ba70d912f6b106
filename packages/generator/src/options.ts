/**
 * Generator options: one strict schema (unknown keys rejected), defaults in one place, names with units.
 * Every default is fixed (no clock): the same options and seed always give the same bytes.
 */
import { z } from 'zod';
import { GeneratorError } from './errors.js';

/** 2026-11-20T08:00:00Z, the day of the INPUT-FORMATS samples. */
export const DEFAULT_START_MS = Date.UTC(2026, 10, 20, 8, 0, 0);

const share = z.number().min(0).max(1);

export const generatorOptionsSchema = z
  .object({
    /** Total Kafka records: valid ones, their re-emitted duplicates and the malformed ones together. */
    events: z.number().int().min(1).max(1_000_000_000).default(100_000),
    /** PRNG seed. */
    seed: z.union([z.number().finite(), z.string().max(200)]).default(1),
    /** Number of tenants; the first four play A, B, C, D. */
    tenants: z.number().int().min(1).max(64).default(4),
    /** Start of the time range (epoch ms, floored to the minute). */
    startMs: z
      .number()
      .int()
      .min(Date.UTC(2000, 0, 1))
      .max(Date.UTC(2099, 0, 1))
      .default(DEFAULT_START_MS),
    /** Length of the time range in minutes; message `Received` times fall inside it. */
    minutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 90)
      .default(60),
    scenario: z.enum(['demo', 'steady']).default('demo'),
    /** Share of valid records re-emitted once, unchanged, later in the stream (re-polled exports). */
    duplicateRatio: share.default(0),
    /** Number of malformed messages mixed in (expected dead letters). */
    malformed: z.number().int().min(0).default(0),
    mix: z
      .object({
        /** Share of messages reported through Graph (rows and detail events camelCase); the rest are Get-MessageTraceV2. */
        graph: share.default(0.35),
        /** Share of delivered/filtered rows whose detail events are exported too (failed and pending rows always are). */
        deliveredDetails: share.default(0.12),
        /** Share of bounces to internal senders whose NDR reaches the NDR topic. */
        ndr: share.default(0.85),
      })
      .strict()
      .default({ graph: 0.35, deliveredDetails: 0.12, ndr: 0.85 }),
    /** Attach a `note` (shape, tenant, message key, intended code, expected reject reason) to each record. For tests. */
    annotate: z.boolean().default(false),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.malformed > o.events) {
      ctx.addIssue({ code: 'custom', path: ['malformed'], message: `cannot exceed events (${o.events})` });
    }
  });

export type GeneratorOptions = z.input<typeof generatorOptionsSchema>;
export type ResolvedOptions = Readonly<z.output<typeof generatorOptionsSchema>>;

export function resolveOptions(options: GeneratorOptions = {}): ResolvedOptions {
  const r = generatorOptionsSchema.safeParse(options);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`);
    throw new GeneratorError('INVALID_OPTIONS', `invalid generator options:\n  - ${problems.join('\n  - ')}`, problems);
  }
  return Object.freeze({
    ...r.data,
    startMs: Math.floor(r.data.startMs / 60_000) * 60_000,
    mix: Object.freeze({ ...r.data.mix }),
  });
}

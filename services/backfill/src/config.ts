/**
 * The backfill's settings: one strict schema, built once at the edge (the CLI) and passed down frozen.
 * Names carry their units.
 */
import { z } from 'zod';
import { FORMATS } from './formats.js';

const topic = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'a Kafka topic name (letters, digits, . _ -)');
const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const backfillConfigSchema = z
  .object({
    /** Files or folders (read recursively, hidden entries skipped), in sorted order. */
    paths: z.array(z.string().min(1)).min(1, 'at least one file or folder'),
    /** `auto` detects each file's format from its content (the extension is only a hint). */
    format: z.enum(['auto', ...FORMATS]),
    /** Produce the rows to the input topics instead of writing ClickHouse. */
    viaKafka: z.boolean(),
    /** Read, validate and classify everything; write nothing and keep no checkpoint. */
    dryRun: z.boolean(),
    statePath: z.string().min(1),
    rejectsPath: z.string().min(1),
    /** Flush when this many rows are held (over all day partitions)… */
    batchRows: int(1, 1_000_000),
    /** …or about this many bytes… */
    maxBufferBytes: int(1 << 20, 2 ** 31),
    /** …or when the last flush is this old (bounds what a crash re-reads). */
    flushIntervalMs: int(100, 3_600_000),
    /** Tenant set on every row (the producer `tenant` field, which wins over Organization/TenantId). */
    tenant: z.string().trim().min(1).max(255).optional(),
    /** ClickHouse database the writer fills (for the `source` column and messages). */
    database: z.string().min(1),
    /** Input topics for --via-kafka (the consumer's NDR_TOPIC_* settings). */
    topics: z.object({ message_trace: topic, trace_detail: topic, ndr: topic }).strict().optional(),
    /** Messages per Kafka send with --via-kafka. */
    kafkaBatchMessages: int(1, 100_000),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.viaKafka && c.topics === undefined) {
      ctx.addIssue({ code: 'custom', path: ['topics'], message: 'required with viaKafka' });
    }
    if (c.viaKafka && c.dryRun) {
      ctx.addIssue({ code: 'custom', path: ['dryRun'], message: 'choose one of --via-kafka and --dry-run' });
    }
  });

export type BackfillConfig = Readonly<z.infer<typeof backfillConfigSchema>>;
export type BackfillConfigInput = z.input<typeof backfillConfigSchema>;

export const BACKFILL_DEFAULTS = {
  format: 'auto',
  viaKafka: false,
  dryRun: false,
  statePath: '.local/backfill/state.json',
  rejectsPath: './backfill-rejects.ndjson',
  batchRows: 10_000,
  maxBufferBytes: 96 << 20,
  flushIntervalMs: 5_000,
  database: 'ndr',
  kafkaBatchMessages: 5_000,
} as const satisfies Partial<BackfillConfigInput>;

/** Defaults + overrides, validated; throws a ZodError naming each bad setting. */
export function backfillConfig(
  overrides: Partial<BackfillConfigInput> & Pick<BackfillConfigInput, 'paths'>,
): BackfillConfig {
  return Object.freeze(backfillConfigSchema.parse({ ...BACKFILL_DEFAULTS, ...overrides }));
}

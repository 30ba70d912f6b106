/**
 * @ndr/backfill: historical exports and NDR e-mails from files into the live pipeline's exact aggregates.
 *
 *   const backfill = createBackfill(backfillConfig({ paths: ['exports/'] }), { classifier, writer, log });
 *   const summary = await backfill.run();
 */
export { createBackfill } from './backfill.js';
export type { Backfill, BackfillDeps, BackfillProgress, BackfillSummary, FileSummary, Logger } from './types.js';
export {
  BACKFILL_DEFAULTS,
  backfillConfig,
  backfillConfigSchema,
  type BackfillConfig,
  type BackfillConfigInput,
} from './config.js';
export { BackfillError, BACKFILL_ERROR_CODES, type BackfillErrorCode } from './errors.js';
export { Checkpoint, sameFile, type FileIdentity, type FileState } from './checkpoint.js';
export { detectFormat, FORMAT_KIND, FORMATS, isFormat, sniffEncoding, type Format } from './formats.js';
export { listInputFiles, type InputFile } from './files.js';
export { normalizeRecord } from './normalize.js';
export { DAY_MS, PartitionedBuffer } from './partition-buffer.js';
export { startProgress, type ProgressReporter } from './progress.js';
export {
  BACKFILL_REJECT_REASONS,
  READER_REJECT_REASONS,
  csvLine,
  type BackfillRejectReason,
  type SourceRecord,
} from './records.js';
export { formatSummary } from './summary.js';
export { checkTables, REQUIRED_TABLES } from './tables.js';
export { ClickHouseSink, KafkaSink, type Accepted, type KafkaSend, type Sink } from './sinks.js';
export * from './readers/index.js';

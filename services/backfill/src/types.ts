/** Public types of a backfill: its dependencies, progress and summary. */
import type { Classifier } from '@ndr/classifier';
import type { Writer } from '@ndr/writer';
import type { Format } from './formats.js';
import type { BackfillRejectReason } from './records.js';
import type { KafkaSend } from './sinks.js';

/** The structural logger the backfill needs (a pino child fits). */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface BackfillDeps {
  readonly classifier: Classifier;
  /** ClickHouse writer (createWriter); required unless viaKafka or dryRun. */
  readonly writer?: Writer;
  /** Kafka producer; required with viaKafka. */
  readonly producer?: KafkaSend;
  readonly log: Logger;
  readonly now?: () => number;
}

export interface FileSummary {
  path: string;
  format: Format | null;
  status: 'done' | 'skipped' | 'failed' | 'interrupted' | 'pending';
  /** Records read in this run (after any resume point). */
  rowsRead: number;
  accepted: number;
  rejected: number;
  /** Records before the checkpoint, not read again. */
  resumedAfter: number;
  error?: string;
}

export interface BackfillSummary {
  run: string;
  files: { total: number; done: number; skipped: number; failed: number; list: FileSummary[] };
  rows: { read: number; accepted: number; written: number; rejected: number; skippedBeforeCheckpoint: number };
  rejectedByReason: Partial<Record<BackfillRejectReason, number>>;
  /** Event times of the accepted rows (UTC ISO), null when none. */
  timeRange: { from: string | null; to: string | null };
  durationMs: number;
  rowsPerSec: number;
  flushes: number;
  /** CPU time of this process during the run (user + system, all threads incl. GC helpers). */
  cpuMs: number;
  peakRssMb: number;
  /** The signal or reason that stopped the run early, or null. */
  interrupted: string | null;
  statePath: string;
  rejectsPath: string;
  mode: 'clickhouse' | 'kafka' | 'dry-run';
}

export interface BackfillProgress {
  bytesRead: number;
  totalBytes: number;
  rowsRead: number;
  accepted: number;
  rejected: number;
  written: number;
  file: string | null;
  startedAtMs: number;
}

export interface Backfill {
  /** Reads every file; resolves with the summary (also when stopped). Rejects on a fatal error. */
  run(): Promise<BackfillSummary>;
  /** Stop reading, flush what is held, save the checkpoint; run() then resolves. */
  stop(reason: string): void;
  progress(): BackfillProgress;
}

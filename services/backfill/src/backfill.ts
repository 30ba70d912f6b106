/**
 * createBackfill(config, deps): files → readers → @ndr/events shapes (normalise) → classifier →
 * day-partitioned EventBuffers → the live pipeline's writer (or Kafka), with a checkpoint per file.
 *
 * Exactness is the storage's (docs/exactness.md): rows get the same natural keys and message keys as when
 * they arrive live, and every table is idempotent, so a row already ingested live, by an earlier
 * backfill or by an overlapping export counts once; re-reading rows after a crash is harmless.
 */
import { randomUUID } from 'node:crypto';
import type { Writer } from '@ndr/writer';
import { BackfillError } from './errors.js';
import type { BackfillConfig } from './config.js';
import { Checkpoint, sameFile, type FileIdentity } from './checkpoint.js';
import { listInputFiles, type InputFile } from './files.js';
import { fullGc } from './memory.js';
import { detectFormat, FORMAT_KIND, type Format } from './formats.js';
import { normalizeRecord } from './normalize.js';
import { readHead, readRecords } from './readers/index.js';
import { rawOf, type BackfillRejectReason, type SourceRecord } from './records.js';
import { openRejects, type RejectsSink } from './rejects.js';
import { ClickHouseSink, KafkaSink, type FlushReport, type Sink } from './sinks.js';
import type { Backfill, BackfillDeps, BackfillProgress, BackfillSummary, FileSummary } from './types.js';

/** Above this RSS a flush is followed by a full GC (see memory.ts); keeps peak RSS under ~200 MB. */
const GC_ABOVE_RSS_BYTES = 140 << 20;

interface OpenFile {
  index: number;
  input: InputFile;
  identity: FileIdentity;
  format: Format | null;
  summary: FileSummary;
  /** Last record number seen. */
  lastRow: number;
  /** Last record whose rows are all in the sink (or rejected): the checkpoint never goes past it. */
  complete: number;
  readDone: boolean;
  failed: string | null;
}

const noWriter: Writer = {
  async write(batch) {
    return { events: batch.eventCount, durationMs: 0 };
  },
  async close() {},
};

export function createBackfill(config: BackfillConfig, deps: BackfillDeps): Backfill {
  const { classifier, log } = deps;
  const now = deps.now ?? Date.now;
  const run = randomUUID();
  let stopping: string | null = null;
  const progress: BackfillProgress = {
    bytesRead: 0,
    totalBytes: 0,
    rowsRead: 0,
    accepted: 0,
    rejected: 0,
    written: 0,
    file: null,
    startedAtMs: now(),
  };
  const mode: BackfillSummary['mode'] = config.dryRun ? 'dry-run' : config.viaKafka ? 'kafka' : 'clickhouse';
  if (mode === 'clickhouse' && deps.writer === undefined)
    throw new TypeError('createBackfill: deps.writer is required');
  if (mode === 'kafka' && (deps.producer === undefined || config.topics === undefined))
    throw new TypeError('createBackfill: deps.producer and config.topics are required with viaKafka');

  async function execute(): Promise<BackfillSummary> {
    const t0 = now();
    const cpu0 = process.cpuUsage();
    progress.startedAtMs = t0;
    const files = await listInputFiles(config.paths);
    const checkpoint = await Checkpoint.load(config.statePath, !config.dryRun);
    const rejects: RejectsSink = await openRejects(config.rejectsPath, run);
    const byReason: Partial<Record<BackfillRejectReason, number>> = {};
    const open = new Map<number, OpenFile>();
    const summaries: FileSummary[] = [];
    let skippedRows = 0;
    let flushes = 0;
    let minTime = Infinity;
    let maxTime = -Infinity;
    let lastFlushAt = now();
    let sinceClock = 0;

    const saveFile = (f: OpenFile, done: boolean, durableRows: number) =>
      checkpoint.set(f.input.path, {
        ...f.identity,
        format: f.format,
        durableRows,
        done,
        failed: f.failed,
      });

    /** After a flush: advance each open file's durable row; files read to the end with nothing held are done. */
    const advance = () => {
      for (const f of [...open.values()]) {
        const held = sink.firstHeldRow(f.index);
        const durable = held === undefined ? f.complete : Math.min(held - 1, f.complete);
        const done = f.readDone && held === undefined && f.failed === null;
        saveFile(f, done, Math.max(durable, f.summary.resumedAfter));
        if (held === undefined && f.readDone) {
          open.delete(f.index);
          if (done) f.summary.status = 'done';
        }
      }
    };

    const gc = fullGc();
    const onFlushed = (r: FlushReport) => {
      flushes++;
      // Only when the process has grown: a forced full GC costs ~10-30 ms.
      if (gc !== null && process.memoryUsage.rss() > GC_ABOVE_RSS_BYTES) gc();
      progress.written += r.rows;
      lastFlushAt = now();
      advance();
      void checkpoint.save().catch((err: unknown) => log.error({ err }, 'could not save the checkpoint'));
      log.debug({ rows: r.rows, day: r.day, ms: Math.round(r.durationMs) }, 'flushed');
    };
    const sink: Sink =
      mode === 'kafka'
        ? new KafkaSink(deps.producer!, config.topics!, config.kafkaBatchMessages, onFlushed)
        : new ClickHouseSink(mode === 'dry-run' ? noWriter : deps.writer!, onFlushed);

    const rejectRow = async (f: OpenFile, r: SourceRecord, reason: BackfillRejectReason, detail: string) => {
      byReason[reason] = (byReason[reason] ?? 0) + 1;
      f.summary.rejected++;
      progress.rejected++;
      await rejects.write({ reason, detail, file: f.input.path, record: r.rowNo, line: r.line, raw: rawOf(r) });
    };

    const stillToRead = (f: InputFile) => {
      const st = checkpoint.get(f.path);
      return !(st?.done && st.size === f.size && st.mtimeMs === f.mtimeMs);
    };
    progress.totalBytes = files.filter(stillToRead).reduce((n, f) => n + f.size, 0);

    for (const [index, input] of files.entries()) {
      if (stopping !== null) break;
      const summary: FileSummary = {
        path: input.path,
        format: null,
        status: 'pending',
        rowsRead: 0,
        accepted: 0,
        rejected: 0,
        resumedAfter: 0,
      };
      summaries.push(summary);
      let head;
      try {
        head = await readHead(input.path);
      } catch (err) {
        summary.status = 'failed';
        summary.error = err instanceof Error ? err.message : String(err);
        log.error({ file: input.path, err }, 'cannot read the file; skipped (the other files go on)');
        continue;
      }
      const identity = { size: input.size, mtimeMs: input.mtimeMs, headHash: head.hash };
      const before = checkpoint.get(input.path);
      const same = before !== undefined && sameFile(before, identity);
      if (same && before.done) {
        summary.status = 'skipped';
        summary.format = before.format;
        summary.resumedAfter = before.durableRows;
        log.info({ file: input.path, records: before.durableRows }, 'already backfilled; skipped');
        continue;
      }
      if (before !== undefined && !same)
        log.warn({ file: input.path }, 'file changed since the last run; reading it from the start');
      const resumeAfter = same ? before.durableRows : 0;
      summary.resumedAfter = resumeAfter;
      const format = config.format !== 'auto' ? config.format : detectFormat(head, input.path);
      summary.format = format;
      const f: OpenFile = {
        index,
        input,
        identity,
        format,
        summary,
        lastRow: resumeAfter,
        complete: resumeAfter,
        readDone: false,
        failed: null,
      };
      progress.file = input.path;
      if (format === null) {
        f.failed = 'unknown format';
        summary.status = 'failed';
        summary.error = 'unknown format: not a CSV, JSON or e-mail export this tool knows; pass --format to say which';
        saveFile(f, false, 0);
        progress.bytesRead += input.size;
        log.error({ file: input.path }, `${summary.error}; skipped`);
        continue;
      }
      const kind = FORMAT_KIND[format];
      const setTenant = config.tenant !== undefined && format !== 'eml' && format !== 'mbox';
      open.set(index, f);
      saveFile(f, false, resumeAfter);
      if (resumeAfter > 0) log.info({ file: input.path, format, resumeAfter }, 'resuming after the checkpoint');
      else log.info({ file: input.path, format, bytes: input.size }, 'reading');
      let ingestedAt = now();
      let fileBytes = 0;
      try {
        const batches = readRecords({
          path: input.path,
          head,
          format,
          ...(config.tenant !== undefined ? { tenant: config.tenant } : {}),
          onBytes: (n) => {
            fileBytes += n;
            progress.bytesRead += n;
          },
        });
        for await (const batch of batches) {
          for (const r of batch) {
            if (r.rowNo !== f.lastRow) {
              // A new record begins, so every row of the previous one is in the sink: only here may the
              // checkpoint move, a flush start or a stop take effect (a record's rows never get split).
              f.complete = f.lastRow;
              if (
                sink.rows >= config.batchRows ||
                sink.approxBytes >= config.maxBufferBytes ||
                ((++sinceClock & 1023) === 0 && sink.rows > 0 && now() - lastFlushAt >= config.flushIntervalMs)
              ) {
                await sink.flushSome();
                ingestedAt = now();
              }
              if (stopping !== null) break;
            }
            if (r.rowNo <= resumeAfter) {
              skippedRows++;
              f.lastRow = r.rowNo;
              continue;
            }
            summary.rowsRead++;
            progress.rowsRead++;
            f.lastRow = r.rowNo;
            if (r.value === null) {
              await rejectRow(f, r, r.reject?.reason ?? 'internal_error', r.reject?.detail ?? 'rejected by the reader');
              continue;
            }
            if (setTenant) r.value.tenant = config.tenant;
            const n = normalizeRecord(kind, r.value);
            if (!n.ok) {
              await rejectRow(f, r, n.reason, n.detail);
              continue;
            }
            const e = n.event;
            const c =
              mode === 'kafka'
                ? null
                : classifier.classify(e.diagnostic ?? '', e.status_code ? { statusCode: e.status_code } : undefined);
            sink.add(
              {
                event: e,
                classification: c,
                value: r.value,
                kind,
                source: `file:${input.path}:${r.line || r.rowNo}`,
                file: index,
                rowNo: r.rowNo,
              },
              ingestedAt,
            );
            summary.accepted++;
            progress.accepted++;
            if (e.event_time_ms < minTime) minTime = e.event_time_ms;
            if (e.event_time_ms > maxTime) maxTime = e.event_time_ms;
          }
          if (stopping !== null) break;
        }
        if (stopping === null) {
          f.complete = f.lastRow;
          f.readDone = true;
        } else summary.status = 'interrupted';
      } catch (err) {
        if (!(err instanceof BackfillError) && !isFileError(err)) throw err;
        f.failed = err instanceof Error ? err.message : String(err);
        summary.status = 'failed';
        summary.error = f.failed;
        f.complete = f.lastRow;
        f.readDone = true;
        log.error(
          { file: input.path, format, afterRecord: f.lastRow, err: f.failed },
          'file is corrupt or unreadable; skipped (rows read before the damage are kept; the other files go on)',
        );
      }
      progress.bytesRead += Math.max(0, input.size - fileBytes);
    }

    await sink.drain();
    advance();
    for (const f of open.values()) if (f.summary.status === 'pending') f.summary.status = 'interrupted';
    await checkpoint.save();
    await rejects.close();

    const durationMs = now() - t0;
    const list = summaries;
    return {
      run,
      files: {
        total: files.length,
        done: list.filter((s) => s.status === 'done').length,
        skipped: list.filter((s) => s.status === 'skipped').length,
        failed: list.filter((s) => s.status === 'failed').length,
        list,
      },
      rows: {
        read: progress.rowsRead,
        accepted: progress.accepted,
        written: progress.written,
        rejected: progress.rejected,
        skippedBeforeCheckpoint: skippedRows,
      },
      rejectedByReason: byReason,
      timeRange: {
        from: Number.isFinite(minTime) ? new Date(minTime).toISOString() : null,
        to: Number.isFinite(maxTime) ? new Date(maxTime).toISOString() : null,
      },
      durationMs,
      rowsPerSec: Math.round(progress.rowsRead / Math.max(0.001, durationMs / 1000)),
      flushes,
      cpuMs: cpuMsSince(cpu0),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      interrupted: stopping,
      statePath: config.statePath,
      rejectsPath: config.rejectsPath,
      mode,
    };
  }

  return {
    run: execute,
    stop(reason) {
      stopping ??= reason;
    },
    progress: () => ({ ...progress }),
  };
}

/** Errors that belong to one file (unreadable, vanished, not a regular file), not to the run. */
function isFileError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && ['ENOENT', 'EACCES', 'EISDIR', 'EIO', 'EPERM'].includes(code);
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return Math.round((d.user + d.system) / 1000);
}

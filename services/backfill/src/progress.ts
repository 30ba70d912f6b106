/**
 * Progress while a backfill runs: on a TTY a cli-progress bar over bytes read / total bytes with rows/s
 * and ETA; otherwise (CI, pipes, log collectors) one structured log line per interval.
 */
import { SingleBar } from 'cli-progress';
import type { BackfillProgress, Logger } from './types.js';

export interface ProgressReporter {
  stop(): void;
}

export interface ProgressOptions {
  tty: boolean;
  stream: NodeJS.WritableStream;
  log: Logger;
  /** How often a log line is written without a TTY. */
  logIntervalMs: number;
  snapshot: () => BackfillProgress;
  now?: () => number;
}

const mb = (n: number) => (n / (1 << 20)).toFixed(1);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function rates(p: BackfillProgress, t: number) {
  const seconds = Math.max(0.001, (t - p.startedAtMs) / 1000);
  const rowsPerSec = p.rowsRead / seconds;
  const bytesPerSec = p.bytesRead / seconds;
  const etaS = bytesPerSec > 0 ? Math.max(0, (p.totalBytes - p.bytesRead) / bytesPerSec) : null;
  return { rowsPerSec, etaS };
}

export function startProgress(opts: ProgressOptions): ProgressReporter {
  const now = opts.now ?? Date.now;
  if (opts.tty) {
    const bar = new SingleBar({
      stream: opts.stream,
      format:
        ' {bar} {percentage}% | {done}/{total_mb} MB | {rows} rows, {rate} rows/s | rejected {rejected} | ETA {eta_formatted}',
      barsize: 30,
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    });
    const p0 = opts.snapshot();
    bar.start(Math.max(1, p0.totalBytes), 0, {
      done: '0.0',
      total_mb: mb(p0.totalBytes),
      rows: '0',
      rate: '0',
      rejected: '0',
    });
    const timer = setInterval(() => {
      const p = opts.snapshot();
      const r = rates(p, now());
      bar.setTotal(Math.max(1, p.totalBytes));
      bar.update(Math.min(p.bytesRead, p.totalBytes), {
        done: mb(p.bytesRead),
        total_mb: mb(p.totalBytes),
        rows: fmt(p.rowsRead),
        rate: fmt(r.rowsPerSec),
        rejected: fmt(p.rejected),
      });
    }, 200);
    return {
      stop() {
        clearInterval(timer);
        const p = opts.snapshot();
        bar.update(Math.min(p.bytesRead, Math.max(1, p.totalBytes)), {
          done: mb(p.bytesRead),
          rows: fmt(p.rowsRead),
          rate: fmt(rates(p, now()).rowsPerSec),
          rejected: fmt(p.rejected),
        });
        bar.stop();
      },
    };
  }
  const timer = setInterval(() => {
    const p = opts.snapshot();
    const r = rates(p, now());
    opts.log.info(
      {
        bytesRead: p.bytesRead,
        totalBytes: p.totalBytes,
        percent: p.totalBytes > 0 ? Math.floor((p.bytesRead / p.totalBytes) * 1000) / 10 : 100,
        rowsRead: p.rowsRead,
        written: p.written,
        rejected: p.rejected,
        rowsPerSec: Math.round(r.rowsPerSec),
        etaS: r.etaS === null ? null : Math.round(r.etaS),
        file: p.file,
      },
      'backfill progress',
    );
  }, opts.logIntervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

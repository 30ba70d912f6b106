/** The end-of-run summary as text for people (the JSON form is the BackfillSummary itself). */
import type { BackfillSummary } from './types.js';

const fmt = (n: number) => n.toLocaleString('en-US');

export function formatSummary(s: BackfillSummary): string {
  const lines: string[] = [];
  const verb =
    s.mode === 'dry-run'
      ? 'checked (dry run, nothing written)'
      : s.mode === 'kafka'
        ? 'produced to Kafka'
        : 'written to ClickHouse';
  lines.push(
    `backfill ${s.interrupted ? `interrupted (${s.interrupted})` : 'finished'} in ${(s.durationMs / 1000).toFixed(1)} s`,
    `  files: ${fmt(s.files.total)} (${fmt(s.files.done)} done, ${fmt(s.files.skipped)} already done before, ${fmt(s.files.failed)} failed)`,
    `  rows: ${fmt(s.rows.read)} read, ${fmt(s.rows.accepted)} accepted, ${fmt(s.rows.written)} ${verb}, ${fmt(s.rows.rejected)} rejected` +
      (s.rows.skippedBeforeCheckpoint
        ? `, ${fmt(s.rows.skippedBeforeCheckpoint)} skipped (before the checkpoint)`
        : ''),
    `  rate: ${fmt(s.rowsPerSec)} rows/s, ${fmt(s.flushes)} flushes, CPU ${(s.cpuMs / 1000).toFixed(1)} s, peak RSS ${s.peakRssMb} MB`,
    `  time range: ${s.timeRange.from ?? '-'} .. ${s.timeRange.to ?? '-'}`,
  );
  const reasons = Object.entries(s.rejectedByReason).sort(([, a], [, b]) => b - a);
  if (reasons.length > 0) {
    lines.push(
      `  rejected by reason: ${reasons.map(([r, n]) => `${r} ${fmt(n)}`).join(', ')} (details in ${s.rejectsPath})`,
    );
  }
  for (const f of s.files.list) {
    if (f.status === 'failed') lines.push(`  FAILED ${f.path}: ${f.error ?? 'unknown error'}`);
  }
  if (s.interrupted) {
    lines.push(
      `  to resume, run the same command again (checkpoint: ${s.statePath}); rows already written are not counted twice`,
    );
  }
  return `${lines.join('\n')}\n`;
}

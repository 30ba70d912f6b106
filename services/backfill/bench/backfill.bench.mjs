#!/usr/bin/env node
/**
 * Backfill benchmark (not part of npm test; `npm run bench` runs it, or `node services/backfill/bench/backfill.bench.mjs`
 * after `npx tsc -b`). Needs the local (or configured) ClickHouse.
 *
 * One iteration = one CSV row read, parsed (papaparse), validated and normalised (@ndr/events), classified,
 * aggregated (day-partitioned EventBuffers) and durable in ClickHouse (`events`, whose materialized view fills `agg_minute`).
 *
 * 1. A deterministic 1,000,000-row Get-MessageTraceV2 CSV is written to a temp file (synthetic-csv.mjs, with
 *    its own expected totals).
 * 2. End to end: the built `ndr backfill` as a child process into a fresh migrated database; rows/s, the
 *    process's CPU time (all its threads) and peak RSS (its own getrusage maxRSS and /proc VmHWM); then
 *    the totals are checked against the writer's counts.
 * 3. The same file with --dry-run: everything but the inserts.
 * 4. Where the time goes, in-process on 200,000 rows: CSV parsing alone, + normalise, + classify, + buffer,
 *    + the JSONEachRow encoding the ClickHouse client does (JSON.stringify per row).
 *
 * Results: bench/results/backfill.json (repo root). BENCH_BACKFILL_ROWS overrides the row count.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { createClient } from '@clickhouse/client';
import { createClassifier, loadCatalog } from '@ndr/classifier';
import { normalizeRecord, readHead, readRecords } from '@ndr/backfill';
import { EventBuffer } from '@ndr/writer';
import { writeSyntheticCsv } from './synthetic-csv.mjs';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const ROWS = Number(process.env.BENCH_BACKFILL_ROWS ?? 1_000_000);
const PROFILE_ROWS = Math.min(ROWS, 200_000);
const CH_URL = process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:18123';
const DB = `bench_backfill_${Date.now()}`;
const log = (s) => process.stderr.write(`[bench:backfill] ${s}\n`);

function runCli(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repo, 'services/cli/bin/ndr.js'), ...args], {
      cwd: repo,
      env: { ...process.env, CLICKHOUSE_URL: CH_URL, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let hwm = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]) / 1024);
      } catch {
        /* gone */
      }
    }, 100);
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      if (code !== 0) reject(new Error(`ndr ${args[0]} exited ${code}`));
      else resolve({ out, vmHwmMb: Math.round(hwm) });
    });
  });
}

async function stages(file) {
  const classifier = createClassifier(loadCatalog());
  const head = await readHead(file);
  const results = {};
  const time = async (name, perRow) => {
    const t0 = process.cpuUsage();
    const w0 = performance.now();
    let n = 0;
    for await (const batch of readRecords({ path: file, head, format: 'v2-csv', onBytes: () => undefined })) {
      for (const r of batch) {
        if (n++ >= PROFILE_ROWS) break;
        perRow(r);
      }
      if (n >= PROFILE_ROWS) break;
    }
    perRow(null);
    const c = process.cpuUsage(t0);
    const cpuMs = (c.user + c.system) / 1000;
    results[name] = {
      rows: Math.min(n, PROFILE_ROWS),
      cpu_ms: Math.round(cpuMs),
      wall_ms: Math.round(performance.now() - w0),
      us_per_row: Number(((cpuMs * 1000) / PROFILE_ROWS).toFixed(2)),
    };
    log(`stage ${name}: ${results[name].us_per_row} µs/row (CPU)`);
  };
  await time('1_csv_parse', () => undefined);
  await time('2_plus_normalize', (r) => r && normalizeRecord('message_trace', r.value));
  await time('3_plus_classify', (r) => {
    if (!r) return;
    const n = normalizeRecord('message_trace', r.value);
    if (n.ok) classifier.classify(n.event.diagnostic ?? '', undefined);
  });
  let buf = new EventBuffer();
  let bytes = 0;
  // EventBuffer.add builds the row and encodes it (TabSeparated) as it goes: the flush has nothing left to encode.
  await time('4_plus_buffer_and_tsv_encoding', (r) => {
    const flush = () => (bytes += buf.drain().approxBytes);
    if (!r) return flush();
    const n = normalizeRecord('message_trace', r.value);
    if (!n.ok) return;
    buf.add(n.event, classifier.classify(n.event.diagnostic ?? '', undefined), `file:${file}:${r.rowNo}`, Date.now());
    if (buf.eventCount >= 10_000) flush();
  });
  results.tsv_bytes_per_row = Math.round(bytes / PROFILE_ROWS);
  return results;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ndr-backfill-bench-'));
  const ch = createClient({ url: CH_URL, request_timeout: 300_000 });
  try {
    const csv = join(dir, 'trace.csv');
    log(`writing a ${ROWS.toLocaleString('en-US')}-row CSV`);
    const expected = await writeSyntheticCsv(csv, { rows: ROWS, seed: 1, days: 3 });
    log(`${(expected.bytes / 1048576).toFixed(0)} MB, ${expected.distinctKeys} distinct (message, recipient) keys`);
    await runCli(['migrate', '--database', DB]);

    const load0 = loadavg();
    log('end to end into ClickHouse');
    const full = await runCli(
      [
        'backfill',
        csv,
        '--json',
        '--no-progress',
        '--state',
        join(dir, 'state.json'),
        '--rejects',
        join(dir, 'rejects.ndjson'),
      ],
      { CLICKHOUSE_DATABASE: DB },
    );
    const s = JSON.parse(full.out);
    const totalsRows = await (
      await ch.query({
        query: `SELECT tenant, sum(messages_total) AS total, sum(delivered) AS delivered, sum(failed) AS failed,
                       sum(filtered) AS filtered, sum(pending) AS pending
                FROM ${DB}.v_message_totals_minute GROUP BY tenant ORDER BY tenant`,
        format: 'JSONEachRow',
        clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
      })
    ).json();
    const actual = Object.fromEntries(totalsRows.map(({ tenant, ...t }) => [tenant, t]));
    const exact =
      JSON.stringify(actual) === JSON.stringify(Object.fromEntries(Object.entries(expected.tenants).sort()));
    const parts = await (
      await ch.query({
        query: `SELECT table, partition, count() AS parts FROM system.parts WHERE database = '${DB}' AND active GROUP BY table, partition ORDER BY table, partition`,
        format: 'JSONEachRow',
      })
    ).json();
    log(`end to end: ${s.rowsPerSec} rows/s, CPU ${s.cpuMs} ms, peak RSS ${s.peakRssMb} MB, exact: ${exact}`);

    log('dry run (no inserts)');
    const dry = JSON.parse(
      (
        await runCli([
          'backfill',
          csv,
          '--json',
          '--no-progress',
          '--dry-run',
          '--rejects',
          join(dir, 'dry-rejects.ndjson'),
        ])
      ).out,
    );
    log(`dry run: ${dry.rowsPerSec} rows/s, CPU ${dry.cpuMs} ms`);

    log(`stages on ${PROFILE_ROWS.toLocaleString('en-US')} rows`);
    const stageResults = await stages(csv);

    const result = {
      benchmark: 'backfill',
      what: 'one V2 CSV row read (papaparse), validated and normalised (@ndr/events), classified, aggregated per day partition and durable in ClickHouse (events, and agg_minute through its materialized view), by the built `ndr backfill`',
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model,
      cpus: cpus().length,
      load_average_before: load0,
      load_average_after: loadavg(),
      clickhouse: (await (await ch.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })).json())[0].v,
      input: { rows: ROWS, bytes: expected.bytes, distinct_keys: expected.distinctKeys, days: 3, format: 'v2-csv' },
      end_to_end: {
        seconds: s.durationMs / 1000,
        rows_per_s: s.rowsPerSec,
        cpu_seconds: s.cpuMs / 1000,
        rows_per_cpu_s: Math.round(ROWS / (s.cpuMs / 1000)),
        flushes: s.flushes,
        batch_rows: 10_000,
        peak_rss_mb: s.peakRssMb,
        vm_hwm_mb: full.vmHwmMb,
        exact_totals: exact,
        active_parts_after: parts,
        target_rows_per_s: 100_000,
        target_peak_rss_mb: 200,
      },
      dry_run: {
        seconds: dry.durationMs / 1000,
        rows_per_s: dry.rowsPerSec,
        cpu_seconds: dry.cpuMs / 1000,
        peak_rss_mb: dry.peakRssMb,
      },
      stages_cpu_per_row: stageResults,
      note: 'The machine has 2 vCPUs shared by the backfill, ClickHouse (parsing and merging the inserts) and anything else running; CPU seconds count every thread of the backfill process (V8 GC helpers included), so rows_per_cpu_s is the single-core figure.',
    };
    mkdirSync(join(repo, 'bench/results'), { recursive: true });
    writeFileSync(join(repo, 'bench/results/backfill.json'), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (!exact) throw new Error(`totals differ: ${JSON.stringify(actual)} vs ${JSON.stringify(expected.tenants)}`);
  } finally {
    await ch.command({ query: `DROP DATABASE IF EXISTS ${DB}` }).catch(() => undefined);
    await ch.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});

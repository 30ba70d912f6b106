#!/usr/bin/env node
/**
 * Generation hot path: one iteration = one Kafka record made in memory (plan, render to JSON bytes,
 * ground-truth bookkeeping), single thread, no I/O. Cases: the default mix, the mix with duplicates and
 * malformed messages, and the truth-only pass (`expectedFor`). The heap is sampled every 250,000 records
 * to show that memory stays flat. Runs the built package: `npx tsc -b` first.
 *
 *   node packages/generator/bench/generate.bench.mjs [--events 1000000]
 *
 * Writes bench/results/generator.json at the repo root. Not part of `npm test`.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/index.js', import.meta.url);
if (!existsSync(fileURLToPath(dist))) {
  process.stderr.write(
    'generate.bench: packages/generator/dist is missing; run `npx tsc -b` from the repo root first.\n',
  );
  process.exit(1);
}
const { createGenerator, expectedFor } = await import(dist.href);

const arg = process.argv.indexOf('--events');
const EVENTS = arg > 0 ? Number(process.argv[arg + 1]) : 1_000_000;
const SAMPLE_EVERY = 250_000;

function measure(name, options) {
  globalThis.gc?.();
  const gen = createGenerator(options);
  const heapMb = [];
  let n = 0;
  let bytes = 0;
  const t0 = performance.now();
  for (const r of gen) {
    n++;
    bytes += r.value.length;
    if (n % SAMPLE_EVERY === 0) heapMb.push(Math.round(process.memoryUsage().heapUsed / 1e6));
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    case: name,
    options,
    records: n,
    seconds: +seconds.toFixed(3),
    records_per_sec: Math.round(n / seconds),
    ns_per_record: Math.round((seconds * 1e9) / n),
    mb_per_sec: +(bytes / 1e6 / seconds).toFixed(1),
    avg_record_bytes: Math.round(bytes / n),
    heap_mb_every_250k: heapMb,
    rss_mb_after: Math.round(process.memoryUsage().rss / 1e6),
  };
}

function measureTruth(name, options) {
  const t0 = performance.now();
  const e = expectedFor(options);
  const seconds = (performance.now() - t0) / 1000;
  return {
    case: name,
    options,
    records: e.records.total,
    seconds: +seconds.toFixed(3),
    records_per_sec: Math.round(e.records.total / seconds),
  };
}

// Warm-up (JIT), not reported.
measure('warm-up', { events: 200_000, seed: 99 });

const results = [
  measure('default mix', { events: EVENTS, seed: 1 }),
  measure('duplicates 0.2 + 100 malformed', { events: EVENTS, seed: 1, duplicateRatio: 0.2, malformed: 100 }),
  measure('default mix, 2x events (memory must stay flat)', { events: EVENTS * 2, seed: 2 }),
  measureTruth('ground truth only (expectedFor)', { events: EVENTS, seed: 1 }),
];

const report = {
  benchmark: 'generator',
  iteration: 'one Kafka record generated in memory (plan + JSON bytes + ground truth), single thread',
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  results,
};
const outDir = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
mkdirSync(outDir, { recursive: true });
writeFileSync(`${outDir}generator.json`, `${JSON.stringify(report, null, 2)}\n`);
for (const r of results)
  process.stdout.write(
    `${r.case}: ${r.records.toLocaleString('en-US')} records in ${r.seconds} s = ${r.records_per_sec.toLocaleString('en-US')}/s${r.heap_mb_every_250k ? `, heap MB ${r.heap_mb_every_250k.join(' ')}` : ''}\n`,
  );
process.stdout.write(`written to bench/results/generator.json\n`);

#!/usr/bin/env node
/**
 * Classifier throughput. One iteration = `classifier.classify(s)` on one raw diagnostic string, including entity
 * extraction and building the result object, against the shipped catalog/ (built dist, run `npx tsc -b` first).
 *
 * Mix: every row of test/corpus/diagnostics.jsonl (Exchange trace-detail LED strings, NDR diagnostics, Gmail,
 * Yahoo, Postfix, Exim, Sendmail, gateways, DSN blocks, Norwegian, garbled codes) plus synthetic variants of each
 * with different IPs, domains, addresses, server stamps and ids, so no two strings in the working set are equal
 * and nothing is trivially cacheable. One core (single thread), warm-up, then several timed runs; the median counts.
 *
 *   node packages/classifier/bench/classify.bench.mjs [--runs 7] [--iterations 1000000]
 *
 * Writes bench/results/classifier.json at the repo root.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createClassifier, loadCatalog } from '../dist/index.js';
import { extractEntities } from '../dist/text/entities.js';
import { scanCodes } from '../dist/text/scan-codes.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const RUNS = arg('runs', 7);
const ITERATIONS = arg('iterations', 1_000_000);
const VARIANTS = 40;

const corpus = readFileSync(fileURLToPath(new URL('../test/corpus/diagnostics.jsonl', import.meta.url)), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));

/** Deterministic pseudo-random numbers, so runs compare. */
let seed = 42;
const rnd = (n) => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) >>> 8) % n; // high bits: the low ones cycle fast
const hex = (n) => Array.from({ length: n }, () => '0123456789ABCDEF'[rnd(16)]).join('');

function variant(text) {
  return text
    .replace(
      /\b(203\.0\.113|198\.51\.100|192\.0\.2)\.\d{1,3}\b/g,
      () => `${[203, 198, 192][rnd(3)]}.${rnd(256)}.${rnd(256)}.${1 + rnd(254)}`,
    )
    .replace(
      /\b(contoso|fabrikam|example)\b/gi,
      () => ['contoso', 'fabrikam', 'example', 'northwind', 'tailspin', 'adatum'][rnd(6)] + rnd(1000),
    )
    .replace(/\b[0-9A-F]{16}\b/g, () => hex(16))
    .replace(
      /\b20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g,
      () => `2026-${10 + rnd(3)}-${10 + rnd(18)}T0${rnd(10)}:${10 + rnd(50)}:${10 + rnd(50)}.${100 + rnd(900)}Z`,
    )
    .replace(/\b(x|nobody|ap|bob|site\.lead)@/g, () => `user${rnd(100000)}@`);
}

const mix = [];
for (const row of corpus) {
  mix.push(row.input);
  for (let v = 0; v < VARIANTS; v++) {
    // A short queue-id style tag keeps every string distinct without changing its shape much.
    const tail = rnd(2) === 0 ? ` id=${hex(8)}` : ` [${hex(16)}]`;
    mix.push(variant(row.input) + tail);
  }
}
// Flat strings, as they come from JSON.parse or a line reader, in a shuffled order.
const strings = mix.map((s) => JSON.parse(JSON.stringify(s)));
for (let i = strings.length - 1; i > 0; i--) {
  const j = rnd(i + 1);
  [strings[i], strings[j]] = [strings[j], strings[i]];
}
const distinct = new Set(strings).size;
const avgChars = strings.reduce((n, s) => n + s.length, 0) / strings.length;

const classifier = createClassifier(loadCatalog());
let sink = 0;
const loadAtStart = loadavg().map((x) => Math.round(x * 100) / 100);

/** Wall-clock seconds and CPU seconds (user + system of this process) for `iterations` calls. */
function timeRun(fn, iterations) {
  const n = strings.length;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0, k = 0; i < iterations; i++, k = k + 1 === n ? 0 : k + 1) sink += fn(strings[k]);
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(name, fn) {
  timeRun(fn, Math.min(ITERATIONS, 300_000)); // warm-up: let the JIT settle
  const wall = [];
  const cpu = [];
  for (let r = 0; r < RUNS; r++) {
    const t = timeRun(fn, ITERATIONS);
    wall.push(ITERATIONS / t.wall);
    cpu.push(ITERATIONS / t.cpu);
  }
  const m = median(wall);
  const c = median(cpu);
  console.log(
    `${name.padEnd(26)} median ${Math.round(m).toLocaleString('en')} strings/s wall, ${Math.round(c).toLocaleString('en')} per CPU-second  ` +
      `(${(1e9 / m).toFixed(0)} ns/string; runs ${wall.map((x) => Math.round(x / 1000) + 'k').join(' ')})`,
  );
  return {
    median_per_s: Math.round(m),
    median_per_cpu_s: Math.round(c),
    ns_per_string: Math.round(1e9 / m),
    runs_per_s: wall.map(Math.round),
    runs_per_cpu_s: cpu.map(Math.round),
  };
}

console.log(
  `mix: ${strings.length} strings (${distinct} distinct) from ${corpus.length} corpus rows, avg ${avgChars.toFixed(0)} chars`,
);
const full = measure('classify (full result)', (s) => classifier.classify(s).entities.ips.length + 1);
const codes = measure('  stage: code scan only', (s) => (scanCodes(s).code === null ? 0 : 1));
const entities = measure('  stage: entities only', (s) => extractEntities(s).ips.length);

const groups = {};
for (const row of corpus) groups[row.group] = (groups[row.group] ?? 0) + 1;
const outcomes = {};
for (const s of strings) {
  const by = classifier.classify(s).matched_by;
  outcomes[by] = (outcomes[by] ?? 0) + 1;
}
const results = {
  benchmark: 'classifier',
  what: 'classifier.classify(s) per string: code scan, catalogue lookup, phrase matching, entity extraction, result object',
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cpus: cpus().length,
  threads_used: 1,
  runs: RUNS,
  iterations_per_run: ITERATIONS,
  strings_per_s: full.median_per_s,
  strings_per_cpu_s: full.median_per_cpu_s,
  ns_per_string: full.ns_per_string,
  load_average_at_start: loadAtStart,
  load_average_at_end: loadavg().map((x) => Math.round(x * 100) / 100),
  note: "The machine is shared (2 vCPUs); wall-clock rates drop when other processes compete. strings_per_cpu_s counts only this process's CPU time.",
  target_strings_per_s: 1_000_000,
  stages: { code_scan: codes, entities },
  full,
  mix: {
    strings: strings.length,
    distinct,
    corpus_rows: corpus.length,
    synthetic_variants_per_row: VARIANTS,
    avg_chars: Math.round(avgChars),
    corpus_groups: groups,
    matched_by: outcomes,
  },
  catalogue_entries: loadCatalog().entries.length,
  sink,
};
const out = fileURLToPath(new URL('../../../bench/results/classifier.json', import.meta.url));
mkdirSync(fileURLToPath(new URL('../../../bench/results/', import.meta.url)), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote ${out}`);

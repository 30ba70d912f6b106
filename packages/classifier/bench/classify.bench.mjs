#!/usr/bin/env node
/**
 * Classifier throughput. One iteration = `classifier.classify(s)` on one raw diagnostic string, including entity
 * extraction and building the result object, against the shipped catalog/ (built dist, run `npx tsc -b` first).
 *
 * Mix: every row of test/corpus/diagnostics.jsonl (Exchange trace-detail LED strings, NDR diagnostics, Gmail,
 * Yahoo, Postfix, Exim, Sendmail, gateways, DSN blocks, Norwegian, garbled codes) plus synthetic variants of each
 * with different IPs, domains, addresses, server stamps and ids, so no two strings in the working set are equal
 * and nothing is trivially cacheable (bench/mix.mjs builds it). One core (single thread), warm-up, then several
 * timed runs; the median counts. Then the stages on their own (each after the one text pass every call makes).
 *
 *   node packages/classifier/bench/classify.bench.mjs [--runs 7] [--iterations 1000000]
 *
 * Writes bench/results/classifier.json at the repo root.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createClassifier, loadCatalog } from '../dist/index.js';
import { buildTables } from '../dist/match/tables.js';
import { createTextView } from '../dist/text/text-view.js';
import { scanCodesIn } from '../dist/text/scan-codes.js';
import { extractEntitiesIn } from '../dist/text/entities.js';
import { buildMix, VARIANTS } from './mix.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const RUNS = arg('runs', 7);
const ITERATIONS = arg('iterations', 1_000_000);

const { strings, corpus, distinct, avgChars } = buildMix();

const classifier = createClassifier(loadCatalog());
let sink = 0;
const loadAtStart = loadavg().map((x) => Math.round(x * 100) / 100);

/**
 * Wall-clock seconds and CPU seconds (user + system of this process) for `iterations` calls. Each measurement gets
 * its own copy of the loop (`new Function`): one shared loop would see every stage's function at its call site and
 * run the later stages through a slower, megamorphic call.
 */
const makeTimer = () =>
  new Function(
    'strings',
    'fn',
    'iterations',
    `let sink = 0;
     const n = strings.length;
     const cpu0 = process.cpuUsage();
     const start = process.hrtime.bigint();
     for (let i = 0, k = 0; i < iterations; i++, k = k + 1 === n ? 0 : k + 1) sink += fn(strings[k]);
     const wall = Number(process.hrtime.bigint() - start) / 1e9;
     const cpu = process.cpuUsage(cpu0);
     return { wall, cpu: (cpu.user + cpu.system) / 1e6, sink };`,
  );

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(name, fn) {
  const timeRun = makeTimer();
  sink += timeRun(strings, fn, Math.min(ITERATIONS, 300_000)).sink; // warm-up: let the JIT settle
  const wall = [];
  const cpu = [];
  for (let r = 0; r < RUNS; r++) {
    const t = timeRun(strings, fn, ITERATIONS);
    sink += t.sink;
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

// Stages, each on top of the one pass over the text (copy, marks, phrase filter) that every classification makes
// first; the `_ns` figures subtract the pass. Own tables and view, so the classifier above is not disturbed.
const catalog = loadCatalog();
const { phrases } = buildTables(catalog);
const view = createTextView(16 * 1024);
const pass = measure('  stage: text pass', (s) => (phrases.load(view, s), view.nDots));
const codes = measure(
  '  stage: pass + code scan',
  (s) => (phrases.load(view, s), scanCodesIn(view).code === null ? 0 : 1),
);
const entities = measure(
  '  stage: pass + entities',
  (s) => (phrases.load(view, s), extractEntitiesIn(view).ips.length),
);
const occurrences = measure('  stage: pass + phrase walk', (s) => (phrases.load(view, s), phrases.occurrences().count));
const over = (stage) => ({ ...stage, stage_ns: stage.ns_per_string - pass.ns_per_string });

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
  stages: {
    note: 'text_pass: copy to a typed array, marks, phrase filter; the others include the pass, stage_ns excludes it',
    text_pass: pass,
    code_scan: over(codes),
    entities: over(entities),
    phrase_occurrences: over(occurrences),
  },
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
  catalogue_entries: catalog.entries.length,
  catalogue_phrases: catalog.entries.reduce((n, e) => n + e.match.phrases.length + e.match.phrases_nb.length, 0),
  sink,
};
const out = fileURLToPath(new URL('../../../bench/results/classifier.json', import.meta.url));
mkdirSync(fileURLToPath(new URL('../../../bench/results/', import.meta.url)), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote ${out}`);

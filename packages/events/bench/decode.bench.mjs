#!/usr/bin/env node
/**
 * Decode hot path: one iteration = `decodeEvent(topicKind, buffer)` on one Kafka value (bytes → UTF-8
 * check → JSON.parse → shape detection → fastParse (zod safeParse when it declines) → normalise → natural key).
 * Payloads are the package's EXAMPLES with a distinct MessageTraceId and recipient per message (pool of 1,000
 * per case).
 * A `json_parse_only` case gives the floor. These cases repeat one layout, so every field takes the same
 * branch; the `mixed` case is the honest figure for a consumer: the generator's realistic demo stream
 * (100,000 distinct messages on all three topics, every shape, the PowerShell and Graph layouts, with and
 * without `direction`), decoded in stream order, with `json_parse_only_mixed` as its floor.
 * Runs the built packages (events and generator): `npx tsc -b` first.
 *
 *   node packages/events/bench/decode.bench.mjs [--seconds 2]
 *
 * Writes bench/results/events-decode.json at the repo root. Not part of `npm test`.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/index.js', import.meta.url);
const generatorDist = new URL('../../generator/dist/index.js', import.meta.url);
if (!existsSync(fileURLToPath(dist)) || !existsSync(fileURLToPath(generatorDist))) {
  process.stderr.write(
    'decode.bench: packages/events/dist or packages/generator/dist is missing; run `npx tsc -b` from the repo root first.\n',
  );
  process.exit(1);
}
const { decodeEvent, EXAMPLES } = await import(dist.href);
const { createGenerator } = await import(generatorDist.href);

const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 2;
const POOL = 1000;

const hex = (i, width) => i.toString(16).padStart(width, '0');
const guid = (i) => `${hex(i, 8)}-4d5f-4e6a-2a31-08de27a19c42`;

/** POOL distinct payloads of one shape: new trace id and recipient per message. */
function pool(shape, patch) {
  return Array.from({ length: POOL }, (_, i) => Buffer.from(JSON.stringify({ ...EXAMPLES[shape], ...patch(i) })));
}

const cases = [
  [
    'message_trace',
    'message-trace-v2',
    pool('message-trace-v2', (i) => ({ MessageTraceId: guid(i), RecipientAddress: `user${i}@fabrikam.com` })),
  ],
  [
    'message_trace',
    'message-trace-graph',
    pool('message-trace-graph', (i) => ({ id: guid(i), recipientAddress: `user${i}@fabrikam.com` })),
  ],
  [
    'trace_detail',
    'trace-detail-v2',
    pool('trace-detail-v2', (i) => ({ MessageTraceId: guid(i), RecipientAddress: `user${i}@fabrikam.com` })),
  ],
  [
    'trace_detail',
    'trace-detail-graph',
    pool('trace-detail-graph', (i) => ({ id: guid(i), recipientAddress: `user${i}@fabrikam.com` })),
  ],
  [
    'ndr',
    'ndr-dsn',
    pool('ndr-dsn', (i) => ({ original_network_message_id: guid(i), final_recipient: `rfc822;user${i}@fabrikam.com` })),
  ],
  [
    'message_trace',
    'reject:schema_mismatch',
    pool('message-trace-v2', (i) => ({ MessageTraceId: guid(i), Size: 'large' })),
  ],
  [
    'message_trace',
    'reject:invalid_json',
    Array.from({ length: POOL }, (_, i) => Buffer.from(`{"Received":"2026-11-20T09:14:0${i % 10}`)),
  ],
];

/** The realistic mixed stream: what `createGenerator` produces for the demo scenario, in stream order. */
const MIXED = [...createGenerator({ events: 100_000, seed: 5, scenario: 'demo', minutes: 240 }).records()].map((r) => ({
  topic: r.topic,
  value: r.value,
}));
const mixedBytes = Math.round(MIXED.reduce((sum, r) => sum + r.value.length, 0) / MIXED.length);

function run(fn, payloads) {
  let sink = 0;
  const size = payloads.length;
  // Warm up (JIT, zod's compiled object parser).
  for (let i = 0; i < 20_000; i++) sink += fn(payloads[i % size]) ? 1 : 0;
  let n = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(SECONDS * 1e9));
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 1000; i++) sink += fn(payloads[(n + i) % size]) ? 1 : 0;
    n += 1000;
    now = process.hrtime.bigint();
  }
  const ns = Number(now - start);
  if (sink < 0) console.log(sink);
  return { messages: n, messages_per_sec: Math.round((n * 1e9) / ns), ns_per_message: Math.round(ns / n) };
}

const loadBefore = Number(loadavg()[0].toFixed(2));
const results = [];
for (const [kind, name, payloads] of cases) {
  const expectOk = !name.startsWith('reject:');
  const first = decodeEvent(kind, payloads[0]);
  if (first.ok !== expectOk) throw new Error(`${name}: unexpected result ${JSON.stringify(first)}`);
  const r = run((b) => decodeEvent(kind, b).ok, payloads);
  results.push({ case: name, topic_kind: kind, payload_bytes: payloads[0].length, ...r });
  process.stdout.write(
    `${name.padEnd(24)} ${String(r.messages_per_sec).padStart(9)} msg/s  ${String(r.ns_per_message).padStart(6)} ns/msg  (${payloads[0].length} B)\n`,
  );
}
const floor = run((b) => JSON.parse(b.toString('utf8')) !== null, cases[0][2]);
results.push({ case: 'json_parse_only', topic_kind: 'message_trace', payload_bytes: cases[0][2][0].length, ...floor });
process.stdout.write(
  `${'json_parse_only'.padEnd(24)} ${String(floor.messages_per_sec).padStart(9)} msg/s  ${String(floor.ns_per_message).padStart(6)} ns/msg\n`,
);

const rejectedMixed = MIXED.filter((r) => !decodeEvent(r.topic, r.value).ok).length;
if (rejectedMixed !== 0) throw new Error(`mixed: ${rejectedMixed} of ${MIXED.length} messages rejected`);
for (const [name, fn] of [
  ['mixed', (r) => decodeEvent(r.topic, r.value).ok],
  ['json_parse_only_mixed', (r) => JSON.parse(r.value.toString('utf8')) !== null],
]) {
  const r = run(fn, MIXED);
  results.push({ case: name, topic_kind: 'all', payload_bytes: mixedBytes, distinct_messages: MIXED.length, ...r });
  process.stdout.write(
    `${name.padEnd(24)} ${String(r.messages_per_sec).padStart(9)} msg/s  ${String(r.ns_per_message).padStart(6)} ns/msg  (${mixedBytes} B avg, ${MIXED.length} distinct)\n`,
  );
}

const out = {
  benchmark: 'events-decode',
  iteration: 'decodeEvent(topicKind, buffer) for one Kafka value, single thread',
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cpu_count: cpus().length,
  // Other processes share the CPUs; a high load average means the figures are low.
  load_average_1m_before: loadBefore,
  seconds_per_case: SECONDS,
  results,
};
const target = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
mkdirSync(target, { recursive: true });
writeFileSync(target + 'events-decode.json', JSON.stringify(out, null, 2) + '\n');
process.stdout.write(`wrote bench/results/events-decode.json\n`);

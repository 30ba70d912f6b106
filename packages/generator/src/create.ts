/**
 * `createGenerator(options)`: a deterministic, streaming source of Kafka records with its ground truth.
 *
 *   const gen = createGenerator({ events: 100_000, seed: 7, duplicateRatio: 0.2, malformed: 20 });
 *   for (const rec of gen) await send(rec);   // or gen.records()
 *   const truth = gen.expected();             // after the stream ended (else computed by a silent pass)
 */
import { GeneratorError } from './errors.js';
import { run, type Engine } from './generator.js';
import { resolveOptions, type GeneratorOptions, type ResolvedOptions } from './options.js';
import { Rng } from './random.js';
import { buildScenario, describeScenario } from './scenario.js';
import {
  sumCounts,
  TruthBuilder,
  type MessageCounts,
  type RecordTotals,
  type TenantExpected,
  type PerTopic,
} from './truth.js';
import type { ExpectedRejectReason, GenRecord } from './types.js';
import { buildExternalDomains, buildTenants } from './world.js';

export const EXPECTED_FORMAT = 'ndr-generator-expected/1';

export interface Expected {
  format: typeof EXPECTED_FORMAT;
  /** The resolved options (seed, events, time range…) that reproduce this run. */
  options: ResolvedOptions;
  /** Time range covered by `Received` times: [from, to). Detail events and NDRs may run past `to`. */
  range: { from: string; to: string };
  records: RecordTotals;
  /** Malformed records: every one must end in the dead-letter topic with this reason. */
  deadLetters: { total: number; byReason: Partial<Record<ExpectedRejectReason, number>>; byTopic: PerTopic };
  /** Sums over tenants (message keys never span tenants). */
  totals: { messages: MessageCounts; bounces: Record<string, number> };
  tenants: Record<string, TenantExpected>;
  scenario: ReturnType<typeof describeScenario>;
}

export interface TrafficGenerator extends Iterable<GenRecord> {
  readonly options: ResolvedOptions;
  /** A fresh pass over the records (each call starts again and yields the same bytes). */
  records(): IterableIterator<GenRecord>;
  /** The ground truth of this run; computed by a pass that renders nothing when no pass has finished yet. */
  expected(): Expected;
}

function engineFor(o: ResolvedOptions): Engine {
  const worldRng = new Rng(o.seed, 'world');
  const tenants = buildTenants(o.tenants, worldRng);
  return {
    o,
    world: { tenants, external: buildExternalDomains() },
    scenario: buildScenario(o.scenario, o.minutes, o.events - o.malformed, o.seed),
  };
}

function toExpected(e: Engine, truth: TruthBuilder): Expected {
  const tenants: Record<string, TenantExpected> = {};
  const bounces: Record<string, number> = {};
  for (const [id, t] of truth.tenants()) {
    tenants[id] = t;
    for (const [code, n] of Object.entries(t.bounces)) bounces[code] = (bounces[code] ?? 0) + n;
  }
  const sorted = Object.fromEntries(
    Object.entries(bounces).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })),
  );
  return {
    format: EXPECTED_FORMAT,
    options: e.o,
    range: {
      from: new Date(e.o.startMs).toISOString(),
      to: new Date(e.o.startMs + e.o.minutes * 60_000).toISOString(),
    },
    records: truth.records(),
    deadLetters: truth.deadLetters(),
    totals: { messages: sumCounts(Object.values(tenants).map((t) => t.messages)), bounces: sorted },
    tenants,
    scenario: describeScenario(e.scenario, e.o.startMs, e.world.tenants),
  };
}

export function createGenerator(options: GeneratorOptions = {}): TrafficGenerator {
  const o = resolveOptions(options);
  const engine = engineFor(o);
  let finished: Expected | null = null;

  function* records(): Generator<GenRecord, void, undefined> {
    const truth = new TruthBuilder(engine.world.tenants);
    yield* run(engine, truth, true);
    finished = toExpected(engine, truth);
  }

  return {
    options: o,
    records,
    [Symbol.iterator]: records,
    expected() {
      if (finished === null) finished = expectedFor(o);
      return finished;
    },
  };
}

/** The ground truth of `createGenerator(options)`, without making any record (a pure function of the options). */
export function expectedFor(options: GeneratorOptions = {}): Expected {
  const o = resolveOptions(options);
  const engine = engineFor(o);
  const truth = new TruthBuilder(engine.world.tenants);
  for (const _ of run(engine, truth, false)) {
    throw new GeneratorError('NOT_FINISHED', 'internal: a truth-only pass produced a record');
  }
  return toExpected(engine, truth);
}

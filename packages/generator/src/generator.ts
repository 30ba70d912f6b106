/**
 * The streaming engine: minute by minute, plans messages until the record budget is spent, renders
 * their records, and holds the later ones (final statuses, late NDRs, duplicates) in a fixed ring of
 * slots indexed by stream position, so memory does not grow with the number of records.
 *
 * Exactly `events` records come out: `events - malformed` valid ones (the last messages shrink to
 * one-record fillers when the budget runs short) and `malformed` bad ones spread evenly between them.
 */
import { malformedKind, renderMalformed } from './malformed.js';
import type { ResolvedOptions } from './options.js';
import { Planner, recordCount, type World } from './plan.js';
import { Rng } from './random.js';
import { Renderer } from './render.js';
import type { Scenario } from './scenario.js';
import type { TruthBuilder } from './truth.js';
import type { GenRecord, Message } from './types.js';

/** Longest delay (messages) a record can wait, duplicates included, is < RING. */
const RING = 1024;

export interface Engine {
  o: ResolvedOptions;
  world: World;
  scenario: Scenario;
}

/**
 * Runs one deterministic pass. With `render` false no bytes are made (ground truth only); the plan,
 * and so the truth, is the same either way because rendering draws from its own PRNG stream.
 */
export function* run(e: Engine, truth: TruthBuilder, render: boolean): Generator<GenRecord, void, undefined> {
  const { o, world, scenario } = e;
  const planRng = new Rng(o.seed, 'plan');
  const renderRng = new Rng(o.seed, 'render');
  const planner = new Planner(o, world, planRng, scenario);
  const renderer = render ? new Renderer(renderRng, o.annotate) : null;
  const ring: GenRecord[][] = render ? Array.from({ length: RING }, () => []) : [];
  const validBudget = o.events - o.malformed;
  const minutes = o.minutes;

  let planned = 0;
  let malformedDone = 0;
  let step = 0;
  // Running estimates of records per message, for spreading the budget over the minutes.
  let scenarioRecords = 0;
  let scenarioMessages = 0;
  let baselineRecords = 0;
  let baselineMessages = 0;
  let quotaLeft = scenario.dmarcPerMinute.reduce((a, b) => a + b, 0);

  /** Records ready to go out, drained by the loop below (plain arrays: no nested generators on the hot path). */
  const out: GenRecord[] = [];

  function emit(msg: Message): void {
    truth.addMessage(msg);
    if (renderer === null) return;
    const slot = ring[step % RING]!;
    if (slot.length > 0) {
      for (let i = 0; i < slot.length; i++) out.push(slot[i]!);
      slot.length = 0;
    }
    for (const rec of msg.recs) {
      const r = renderer.render(msg, rec);
      if (rec.delay === 0) out.push(r);
      else ring[(step + rec.delay) % RING]!.push(r);
      if (rec.dup >= 0)
        ring[(step + rec.dup) % RING]!.push(o.annotate ? { ...r, note: { ...r.note, duplicate: true } } : r);
    }
    step++;
  }

  function malformedDue(final: boolean): void {
    while (malformedDone < o.malformed && (final || (malformedDone + 1) * validBudget <= planned * (o.malformed + 1))) {
      const kind = malformedKind(malformedDone++);
      truth.addMalformed(kind.topic, kind.reason);
      if (renderer === null) continue;
      const tenant = world.tenants[renderRng.int(world.tenants.length)]!;
      const t =
        o.startMs +
        Math.min(minutes - 1, Math.floor((planned / Math.max(1, validBudget)) * minutes)) * 60_000 +
        renderRng.int(60_000);
      out.push(renderMalformed(kind, renderRng, tenant, t, o.annotate));
    }
  }

  for (let m = 0; m < minutes && planned < validBudget; m++) {
    const last = m === minutes - 1;
    let quota = scenario.dmarcPerMinute[m] ?? 0;
    quotaLeft -= quota;
    const perScenario = scenarioMessages > 0 ? scenarioRecords / scenarioMessages : 4;
    const perBaseline = baselineMessages > 0 ? baselineRecords / baselineMessages : 2;
    const reserved = (quotaLeft + quota) * perScenario;
    const baselineBudget = last ? Infinity : Math.max(0, (validBudget - planned - reserved) / (minutes - m));
    let baselineUsed = 0;

    while (planned < validBudget && (quota > 0 || baselineUsed < baselineBudget)) {
      const baselineLeft = Math.max(0, baselineBudget - baselineUsed) / perBaseline;
      const pickScenario = quota > 0 && (baselineLeft === 0 || planRng.next() * (quota + baselineLeft) < quota);
      let msg = pickScenario ? planner.dmarc(m) : planner.baseline(m);
      let count = recordCount(msg);
      if (count > validBudget - planned) {
        msg = planner.filler(m);
        count = 1;
      }
      planned += count;
      if (pickScenario) {
        quota--;
        scenarioRecords += count;
        scenarioMessages++;
      } else {
        baselineUsed += count;
        baselineRecords += count;
        baselineMessages++;
      }
      emit(msg);
      malformedDue(false);
      for (let i = 0; i < out.length; i++) yield out[i]!;
      out.length = 0;
    }
  }
  malformedDue(true);
  yield* out;
  if (renderer !== null) {
    for (let i = 0; i < RING; i++) {
      const slot = ring[(step + i) % RING]!;
      if (slot.length > 0) yield* slot;
      slot.length = 0;
    }
  }
}
